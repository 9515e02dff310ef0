package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyForwardingTest {

    private static TestBackend one;
    private static TestBackend two;
    private static TestAgent agent;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws Exception {
        one = TestBackend.start("one");
        two = TestBackend.start("two");
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: pair
                    instances: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                  - name: single
                    instances: [{host: 127.0.0.1, port: %d}]
                  - name: hosted
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - id: hosted-files
                    match: {host: api.example.com, path: /files/*rest}
                    service: hosted
                    stripPrefix: /files
                  - id: api
                    match: {path: /api/*rest}
                    service: pair
                  - id: users
                    match: {path: /users/:id, methods: [GET, PUT]}
                    service: single
                    rewritePath: /v2/accounts/{id}
                    requestHeaders: {set: {X-Env: test}, add: {X-Tag: gw}, remove: [Cookie]}
                    responseHeaders: {set: {Cache-Control: no-cache}, remove: [X-Backend]}
                  - id: files
                    match: {path: /files/*rest}
                    service: single
                    stripPrefix: /files
                  - id: small
                    match: {path: /small}
                    service: single
                    maxBodyBytes: 10
                """.formatted(one.port(), two.port(), one.port(), two.port())));
    }

    @AfterAll
    static void stop() {
        agent.close();
        one.close();
        two.close();
    }

    @BeforeEach
    void clear() {
        one.clear();
        two.clear();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void forwardsEachMethodWithItsPathQueryAndBody(String method) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/api/items/7?sort=desc&x=%20y"))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "payload")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith(method + " /api/items/7?sort=desc&x=%20y");
        TestBackend.Received received = one.received().isEmpty() ? two.received().get(0) : one.received().get(0);
        assertThat(received.method()).isEqualTo(method);
        assertThat(received.bodyBytes()).isEqualTo(method.equals("GET") ? 0 : 7);
    }

    @Test
    void alternatesBetweenTheInstancesOfAService() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(send(HttpRequest.newBuilder(agent.uri("/api/rr"))).statusCode()).isEqualTo(200);
        }

        assertThat(one.received()).hasSize(3);
        assertThat(two.received()).hasSize(3);
    }

    @Test
    void setsForwardingHeadersAndAppendsToXForwardedFor() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/users/42"))
                .header("X-Forwarded-For", "10.0.0.1")
                .header("Cookie", "session=1"));

        assertThat(response.statusCode()).isEqualTo(200);
        TestBackend.Received received = one.received().get(0);
        assertThat(received.uri()).isEqualTo("/v2/accounts/42");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(received.header("X-Real-IP")).isEqualTo("127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + agent.port());
        assertThat(received.header("X-Env")).isEqualTo("test");
        assertThat(received.header("X-Tag")).isEqualTo("gw");
        assertThat(received.header("Cookie")).isNull();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("X-Backend")).isEmpty();
    }

    @Test
    void keepsAWellFormedRequestIdAndEchoesIt() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/api/id")).header("X-Request-Id", "abc-123_x.y"));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123_x.y");
        assertThat(receivedRequestId()).isEqualTo("abc-123_x.y");
    }

    @Test
    void replacesAMalformedRequestIdAndGeneratesAMissingOne() throws Exception {
        HttpResponse<String> malformed = send(HttpRequest.newBuilder(agent.uri("/api/id")).header("X-Request-Id", "bad id <script>"));
        String replaced = malformed.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(replaced).matches("[0-9a-f]{32}");
        assertThat(receivedRequestId()).isEqualTo(replaced);

        clear();
        HttpResponse<String> missing = send(HttpRequest.newBuilder(agent.uri("/api/id")));
        String generated = missing.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f]{32}").isNotEqualTo(replaced);
        assertThat(receivedRequestId()).isEqualTo(generated);
    }

    private static String receivedRequestId() {
        TestBackend.Received received = one.received().isEmpty() ? two.received().get(0) : one.received().get(0);
        return received.header("X-Request-Id");
    }

    @Test
    void removesHopByHopHeadersInBothDirections() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("""
                    GET /files/hop HTTP/1.1\r
                    Host: gw.test\r
                    Connection: keep-alive, X-Client-Hop\r
                    X-Client-Hop: private\r
                    Keep-Alive: timeout=5\r
                    TE: trailers\r
                    Proxy-Authorization: Basic Zm9vOmJhcg==\r
                    Proxy-Connection: keep-alive\r
                    Upgrade: websocket\r
                    X-End-To-End: kept\r
                    \r
                    """);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).doesNotContainKeys("x-internal-hop", "proxy-authenticate");
            assertThat(response.header("X-Backend")).isEqualTo("one");
        }
        TestBackend.Received received = one.received().get(0);
        assertThat(received.uri()).isEqualTo("/hop");
        assertThat(received.headers()).doesNotContainKeys(
                "x-client-hop", "keep-alive", "te", "proxy-authorization", "proxy-connection", "upgrade");
        assertThat(received.header("Connection")).isNotEqualTo("keep-alive, X-Client-Hop");
        assertThat(received.header("X-End-To-End")).isEqualTo("kept");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("gw.test");
    }

    @Test
    void reusesOneUpstreamConnectionForSequentialRequests() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            for (int i = 0; i < 10; i++) {
                RawHttp.Response response = raw.exchange("GET /files/reuse/" + i + " HTTP/1.1\r\nHost: gw.test\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
            }
        }

        assertThat(one.received()).hasSize(10);
        assertThat(one.received().stream().map(TestBackend.Received::clientPort).collect(Collectors.toSet())).hasSize(1);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send("GET /files/p1 HTTP/1.1\r\nHost: gw.test\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: gw.test\r\n\r\n"
                    + "GET /files/p3 HTTP/1.1\r\nHost: gw.test\r\n\r\n");

            assertThat(raw.read().body()).isEqualTo("one GET /p1");
            assertThat(raw.read().status()).isEqualTo(404);
            assertThat(raw.read().body()).isEqualTo("one GET /p3");
        }
    }

    @Test
    void answersABurstOfPipelinedRequestsLargerThanOneReadInOrder() throws Exception {
        // About 100 KB, more than one socket read: the later requests wait in the socket while
        // reading is off. (Fewer than 128, Netty's limit of requests decoded ahead of their responses.)
        int count = 100;
        String padding = "p".repeat(1000);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < count; i++) {
            burst.append("GET /files/burst/").append(i).append(" HTTP/1.1\r\nHost: gw.test\r\nX-Pad: ")
                    .append(padding).append("\r\n\r\n");
        }
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send(burst.toString());

            for (int i = 0; i < count; i++) {
                assertThat(raw.read().body()).isEqualTo("one GET /burst/" + i);
            }
            RawHttp.Response after = raw.exchange("GET /files/after-burst HTTP/1.1\r\nHost: gw.test\r\n\r\n");
            assertThat(after.body()).isEqualTo("one GET /after-burst");
        }
    }

    @Test
    void routesOnTheHostWhateverItsCaseAndPort() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /files/h HTTP/1.1\r\nHost: API.Example.COM:8443\r\n\r\n").body())
                    .isEqualTo("two GET /h");
            assertThat(raw.exchange("GET /files/h HTTP/1.1\r\nHost: api.example.com\r\n\r\n").body())
                    .isEqualTo("two GET /h");
            assertThat(raw.exchange("GET /files/h HTTP/1.1\r\nHost: other.example.com:8443\r\n\r\n").body())
                    .isEqualTo("one GET /h");
        }
    }

    @Test
    void answersUnknownPathsWith404Envelope() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/nowhere")).header("X-Request-Id", "r-404"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"code\":404,\"message\":\"no route matches this request\",\"requestId\":\"r-404\"}");
    }

    @Test
    void answersWrongMethodWith405EnvelopeAndAllow() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/users/1")).DELETE());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT");
        assertThat(response.body()).startsWith("{\"code\":405,\"message\":\"method DELETE is not allowed here\"");
    }

    @Test
    void rejectsAPathThatNormalizationRefusesWith400() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /files/a%2F..%2Fsecret HTTP/1.1\r\nHost: gw.test\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"code\":400", "the request path is malformed");
        }
        assertThat(one.received()).isEmpty();
    }

    @Test
    void routesAndForwardsTheNormalizedPath() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /files//a/./b/../%63?q=%2F HTTP/1.1\r\nHost: gw.test\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(one.received().get(0).uri()).isEqualTo("/a/c?q=%2F");
    }

    @Test
    void aDotDotSegmentCannotEscapeIntoAnotherRoute() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /files/../users/7 HTTP/1.1\r\nHost: gw.test\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(one.received().get(0).uri()).isEqualTo("/v2/accounts/7");
    }

    @Test
    void answersUndecodableRequestsWith400AndCloses() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /files/x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: abc\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(raw.isClosedByServer()).isTrue();
        }
        assertThat(one.received()).isEmpty();
    }

    @Test
    void rejectsDeclaredBodiesAboveTheRouteLimitWith413() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/small"))
                .POST(HttpRequest.BodyPublishers.ofString("this body is longer than ten bytes")));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":413");
        assertThat(one.received()).isEmpty();
    }

    @Test
    void rejectsChunkedBodiesThatGrowAboveTheRouteLimitWith413() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("POST /small HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(413);
        }
    }

    @Test
    void relaysUpstreamErrorStatusesUnchanged() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.uri("/files/status?code=503")));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("one GET /status?code=503");
    }

    @Test
    void answersHeadWithoutABody() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send("HEAD /files/head HTTP/1.1\r\nHost: gw.test\r\n\r\n");
            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            RawHttp.Response next = raw.exchange("GET /files/after HTTP/1.1\r\nHost: gw.test\r\n\r\n");
            assertThat(next.body()).isEqualTo("one GET /after");
        }
    }

    @Test
    void answersExpectContinueItselfAndForwardsTheBody() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send("POST /files/upload HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(100);
            RawHttp.Response response = raw.exchange("hello");

            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(one.received().get(0).bodyBytes()).isEqualTo(5);
        assertThat(one.received().get(0).header("Expect")).isNull();
    }

    @Test
    void rejectsContentLengthWithChunkedEncoding() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("POST /files/smuggle HTTP/1.1\r\nHost: gw\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"code\":400");
            assertThat(raw.isClosedByServer()).isTrue();
        }
        assertThat(one.received()).isEmpty();
    }
}
