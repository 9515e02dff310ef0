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
}
