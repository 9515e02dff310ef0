package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.CannedBackend;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import org.junit.jupiter.api.Test;

class MalformedUpstreamTest {

    private static String config(int port) {
        return TestAgent.config("""
                services:
                  - name: broken
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: broken, match: {path: /*rest}, service: broken}
                """.formatted(port));
    }

    @Test
    void answers502WhenTheUpstreamResponseHeadIsGarbage() throws Exception {
        try (CannedBackend backend = new CannedBackend("HTTP/1.1 abc nonsense\r\n\r\n");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).contains("upstream sent a malformed response");
        }
    }

    @Test
    void cutsTheClientConnectionWhenTheUpstreamBreaksChunkingMidBody() throws Exception {
        try (CannedBackend backend = new CannedBackend(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz-not-hex\r\n");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(raw.readHead().status()).isEqualTo(200);
            assertThat(raw.readChunkedUntilClose()).isEqualTo("hello");
        }
    }

    @Test
    void answers502AndNeverReusesAConnectionWhoseResponseHadContentLengthWithChunked() throws Exception {
        try (CannedBackend backend = CannedBackend.keepingConnections(
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response first = raw.exchange("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttp.Response second = raw.exchange("GET /b HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(first.status()).isEqualTo(502);
            assertThat(first.body()).contains("upstream sent a malformed response");
            assertThat(second.status()).isEqualTo(502);
            assertThat(backend.connections()).as("each response arrived on a new upstream connection").isEqualTo(2);
        }
    }

    @Test
    void reusesTheUpstreamConnectionAfterAWellFramedResponse() throws Exception {
        try (CannedBackend backend = CannedBackend.keepingConnections("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                TestAgent agent = TestAgent.start(config(backend.port()), java.time.Duration.ofSeconds(1),
                        dev.sluice.agent.testing.TestRouting.FACTORY, 1);
                RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n").body()).isEqualTo("ok");
            assertThat(raw.exchange("GET /b HTTP/1.1\r\nHost: gw\r\n\r\n").body()).isEqualTo("ok");

            assertThat(backend.connections()).isEqualTo(1);
        }
    }

    @Test
    void answers502WhenTheUpstreamSendsTwoDifferentContentLengths() throws Exception {
        try (CannedBackend backend = CannedBackend.keepingConnections(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(502);
            assertThat(raw.exchange("GET /b HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(502);
            assertThat(backend.connections()).isEqualTo(2);
        }
    }

    @Test
    void answers502WhenTheUpstreamClosesInTheMiddleOfTheHead() throws Exception {
        try (CannedBackend backend = new CannedBackend("HTTP/1.1 200 OK\r\nContent-Len");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(502);
        }
    }

    @Test
    void closesTheClientConnectionWhenTheUpstreamBodyIsTruncated() throws Exception {
        try (CannedBackend backend = new CannedBackend("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n");

            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("10");
            assertThat(raw.body(10).readAllBytes()).as("the body stops where the upstream stopped").hasSize(3);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void answers502AndDropsTheConnectionWhenTheFirstChunkIsAlreadyBroken() throws Exception {
        try (CannedBackend backend = CannedBackend.keepingConnections(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz-not-hex\r\nhello\r\n0\r\n\r\n");
                TestAgent agent = TestAgent.start(config(backend.port()));
                RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response first = raw.exchange("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttp.Response second = raw.exchange("GET /b HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(first.status()).isEqualTo(502);
            assertThat(first.body()).contains("malformed response body");
            assertThat(second.status()).isEqualTo(502);
            assertThat(backend.connections()).isEqualTo(2);
        }
    }
}
