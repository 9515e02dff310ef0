package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.agent.testing.TestRouting;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

    @Test
    void answers503WhenTheInstanceHasNoConnectionLeftAndRecoversAfter() throws Exception {
        try (TestBackend backend = TestBackend.start("app");
                TestAgent agent = TestAgent.start(TestAgent.config("""
                        services:
                          - name: app
                            maxConnectionsPerInstance: 1
                            instances: [{host: 127.0.0.1, port: %d}]
                        routes:
                          - {id: app, match: {path: /*rest}, service: app}
                        """.formatted(backend.port())), Duration.ofSeconds(1), TestRouting.FACTORY, 1)) {
            CompletableFuture<RawHttp.Response> holding = CompletableFuture.supplyAsync(() -> {
                try (RawHttp raw = new RawHttp(agent.port())) {
                    return raw.exchange("GET /slow?ms=1500 HTTP/1.1\r\nHost: gw\r\n\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.runtime().metrics().totalInFlight() == 1);

            try (RawHttp raw = new RawHttp(agent.port())) {
                RawHttp.Response refused = raw.exchange("GET /now HTTP/1.1\r\nHost: gw\r\n\r\n");
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("connection limit reached for upstream 127.0.0.1:" + backend.port());

                assertThat(holding.get().status()).isEqualTo(200);
                assertThat(raw.exchange("GET /later HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }
}
