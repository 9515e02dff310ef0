package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each malformed or ambiguous request, byte for byte over a raw socket: the status, the envelope's
 * message, that the connection is closed, and that nothing reached the upstream.
 */
class RequestSmugglingTest {

    private static TestBackend backend;
    private static TestAgent agent;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("app");
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: app, match: {path: /*rest}, service: app}
                """.formatted(backend.port())));
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    @BeforeEach
    void forget() {
        backend.clear();
    }

    static Stream<Arguments> refusedRequests() {
        String post = "POST /x HTTP/1.1\r\nHost: gw\r\n";
        return Stream.of(
                refused("Content-Length with chunked", post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        400, "Content-Length and Transfer-Encoding"),
                refused("chunked with Content-Length after it", post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
                        400, "Content-Length and Transfer-Encoding"),
                refused("two different Content-Lengths", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                        400, "Content-Length must be"),
                refused("two equal Content-Lengths", post + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                        400, "Content-Length must be"),
                refused("a Content-Length list", post + "Content-Length: 3, 3\r\n\r\nabc", 400, "Content-Length must be"),
                refused("a signed Content-Length", post + "Content-Length: +3\r\n\r\nabc", 400, "Content-Length must be"),
                refused("a hex Content-Length", post + "Content-Length: 0x3\r\n\r\nabc", 400, "Content-Length must be"),
                refused("gzip before chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        400, "Transfer-Encoding must be exactly 'chunked'"),
                refused("chunked not last", post + "Transfer-Encoding: chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        400, "Transfer-Encoding"),
                refused("identity coding", post + "Transfer-Encoding: identity\r\n\r\nabc", 400, "Transfer-Encoding"),
                refused("a look-alike coding", post + "Transfer-Encoding: xchunked\r\n\r\nabc", 400, "Transfer-Encoding"),
                refused("chunked twice", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        400, "Transfer-Encoding"),
                refused("Transfer-Encoding on HTTP/1.0", "POST /x HTTP/1.0\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        400, "HTTP/1.0"),
                refused("a chunk size that is not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("a negative chunk size", post + "Transfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("an overflowing chunk size", post + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nabc\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("a chunk extension with an open quote", post + "Transfer-Encoding: chunked\r\n\r\n3;name=\"abc\r\nabc\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("a chunk extension without a name", post + "Transfer-Encoding: chunked\r\n\r\n3;=x\r\nabc\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("chunk data longer than its size", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
                        400, "chunk size or chunk extension"),
                refused("a chunk line ended by a bare LF", post + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
                        400, "CRLF"),
                refused("obs-fold", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n two\r\n\r\n", 400, "obs-fold"),
                refused("obs-fold with a tab", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n\ttwo\r\n\r\n", 400, "obs-fold"),
                refused("obs-fold in a trailer", post + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\n", 400, "obs-fold"),
                refused("a space before the colon", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A : one\r\n\r\n", 400, "whitespace between"),
                refused("a tab before the colon", "GET /x HTTP/1.1\r\nHost: gw\r\nContent-Length\t: 0\r\n\r\n", 400, "whitespace between"),
                refused("a bare CR in a value", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: o\rne\r\n\r\n", 400, "CR not followed by LF"),
                refused("a bare CR ending a line", "GET /x HTTP/1.1\rHost: gw\r\n\r\n", 400, "CR not followed by LF"),
                refused("bare LF line ends", "GET /x HTTP/1.1\nHost: gw\n\n", 400, "CRLF"),
                refused("NUL in a value", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: o\u0000ne\r\n\r\n", 400, "control characters"),
                refused("a control character in a value", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: o\u0001ne\r\n\r\n", 400, "control characters"),
                refused("DEL in a value", "GET /x HTTP/1.1\r\nHost: gw\r\nX-A: o\u007fne\r\n\r\n", 400, "control characters"),
                refused("a header name with a separator", "GET /x HTTP/1.1\r\nHost: gw\r\nX(A): one\r\n\r\n", 400, "header field is malformed"),
                refused("an absolute-form target", "GET http://evil.example/x HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "absolute-form"),
                refused("a network-path target", "GET //evil.example/x HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("an authority-form target", "GET gw:80 HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("a fragment in the target", "GET /a#b HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("a non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("a space in the target", "GET /a b HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "not valid HTTP/1.1"),
                refused("asterisk for GET", "GET * HTTP/1.1\r\nHost: gw\r\n\r\n", 400, "request target is malformed"),
                refused("two Host headers", "GET /x HTTP/1.1\r\nHost: gw\r\nHost: evil\r\n\r\n", 400, "more than one Host"),
                refused("an unknown minor version", "GET /x HTTP/1.7\r\nHost: gw\r\n\r\n", 505, "HTTP/1.0 and HTTP/1.1"),
                refused("HTTP/2.0 in an HTTP/1 request line", "GET /x HTTP/2.0\r\nHost: gw\r\n\r\n", 505, "HTTP/1.0 and HTTP/1.1"));
    }

    private static Arguments refused(String name, String raw, int status, String message) {
        return Arguments.of(name, raw, status, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void refusesAndCloses(String name, String raw, int status, String message) throws Exception {
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response response = client.exchange(raw);

            assertThat(response.status()).as(name).isEqualTo(status);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.body()).contains("\"code\":" + status).contains(message).contains("\"requestId\":\"");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).as("connection closed").isTrue();
        }
        assertThat(backend.received()).as("nothing reached the upstream").isEmpty();
    }

    @Test
    void acceptsWellFormedChunkExtensionsAndKeepsTheConnection() throws Exception {
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response response = client.exchange("POST /sha256 HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;name=value;flag;q=\"a \\\" b\"\r\nabc\r\n2 ; x = y\r\nde\r\n0;last\r\n\r\n");
            RawHttp.Response next = client.exchange("GET /after HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("5 ");
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void answersPipelinedRequestsInOrderAndRefusesTheBadOneAfterTheGoodOnes() throws Exception {
        try (RawHttp client = new RawHttp(agent.port())) {
            client.send("GET /slow?ms=300 HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "POST /second HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\nhi"
                    + "GET /third HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n two\r\n\r\n"
                    + "GET /never HTTP/1.1\r\nHost: gw\r\n\r\n");

            RawHttp.Response first = client.read();
            RawHttp.Response second = client.read();
            RawHttp.Response third = client.read();

            assertThat(first.body()).isEqualTo("app GET /slow?ms=300");
            assertThat(second.body()).isEqualTo("app POST /second");
            assertThat(third.status()).isEqualTo(400);
            assertThat(third.body()).contains("obs-fold");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(backend.received()).extracting(TestBackend.Received::uri).containsExactly("/slow?ms=300", "/second");
    }

    @Test
    void forwardsAChunkedBodyReframedAndWithoutTheClientsFramingHeaders() throws Exception {
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response response = client.exchange("POST /sha256 HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: Chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
        }
        TestBackend.Received received = backend.received().get(0);
        assertThat(received.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(received.headers()).doesNotContainKey("content-length");
        assertThat(received.bodyBytes()).isEqualTo(3);
    }
}
