package dev.sluice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    private TestBackend backend;
    private TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start("app");
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: app, match: {path: /*rest}, service: app}
                """.formatted(backend.port())));
    }

    @AfterEach
    void stop() {
        agent.close();
        backend.close();
    }

    private CompletableFuture<RawHttp.Response> slowRequest(int port, long ms) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawHttp raw = new RawHttp(port)) {
                return raw.exchange("GET /slow?ms=" + ms + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void finishesInFlightRequestsAndClosesIdleConnectionsBeforeStopping() throws Exception {
        int port = agent.port();
        try (RawHttp idle = new RawHttp(port)) {
            assertThat(idle.exchange("GET /warm HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            CompletableFuture<RawHttp.Response> inFlight = slowRequest(port, 3000);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.runtime().metrics().totalInFlight() == 1);

            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> agent.runtime().shutdown(Duration.ofSeconds(20)));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                            .isInstanceOf(IOException.class));
            assertThat(idle.isClosedByServer()).isTrue();
            RawHttp.Response response = inFlight.get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("app GET /slow?ms=3000");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(shutdown.get()).isTrue();
        }
    }

    @Test
    void cutsRequestsStillRunningAtTheDeadline() throws Exception {
        CompletableFuture<RawHttp.Response> inFlight = slowRequest(agent.port(), 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.runtime().metrics().totalInFlight() == 1);

        boolean drained = agent.runtime().shutdown(Duration.ofMillis(300));

        assertThat(drained).isFalse();
        assertThatThrownBy(inFlight::get).hasRootCauseInstanceOf(IOException.class);
    }
}
