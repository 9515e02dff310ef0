package dev.sluice.agent.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.Http2TestClient;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An HTTP/2 connection ends like an HTTP/1.1 one: after its idle timeout, and at shutdown once its streams finished. */
class Http2DrainTest {

    private static String config(TestBackend backend, String idle) {
        return """
                listeners: [{name: plain, host: 127.0.0.1, port: 0, idleTimeout: %s}]
                services: [{name: one, responseTimeout: 30s, instances: [{host: 127.0.0.1, port: %d}]}]
                routes: [{id: all, match: {path: /*rest}, service: one}]
                """.formatted(idle, backend.port());
    }

    @Test
    void closesAnIdleConnectionWithNoOpenStream() throws Exception {
        try (TestBackend backend = TestBackend.start("one");
                TestAgent agent = TestAgent.start(config(backend, "1s"));
                Http2TestClient client = Http2TestClient.connect(agent.port())) {
            assertThat(client.get("/x").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(30)).until(() -> !client.isOpen());
        }
    }

    @Test
    void shutdownLetsAnOpenStreamFinishThenClosesTheConnection() throws Exception {
        try (TestBackend backend = TestBackend.start("one");
                TestAgent agent = TestAgent.start(config(backend, "60s"));
                Http2TestClient client = Http2TestClient.connect(agent.port())) {
            CompletableFuture<Http2TestClient.Response> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.get("/slow?ms=1500");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.runtime().metrics().totalInFlight() == 1);

            boolean drained = agent.runtime().shutdown(Duration.ofSeconds(20));

            assertThat(drained).isTrue();
            assertThat(slow.join().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.isOpen());
        }
    }
}
