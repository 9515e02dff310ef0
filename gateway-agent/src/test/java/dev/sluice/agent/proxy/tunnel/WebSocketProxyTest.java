package dev.sluice.agent.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.WebSocketEchoBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket through the gateway: JDK {@code java.net.http.WebSocket} client, Netty echo backend. */
class WebSocketProxyTest {

    static WebSocketEchoBackend backend;
    static TestAgent agent;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        backend = WebSocketEchoBackend.start();
        agent = TestAgent.start("""
                listeners:
                  - {name: public, host: 127.0.0.1, port: 0}
                  - {name: short, host: 127.0.0.1, port: 0, idleTimeout: 2s}
                services:
                  - {name: echo, instances: [{host: 127.0.0.1, port: %d}]}
                routes:
                  - {id: ws, match: {path: /ws}, service: echo}
                """.formatted(backend.port()));
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    /** Collects what the client receives and how the connection ended. */
    static final class Recorder implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Integer> binaryLengths = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binaryLengths.add(data.remaining());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete("close " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete("error " + error);
        }
    }

    private static WebSocket connect(int listener, Recorder recorder) throws Exception {
        int port = agent.runtime().proxyAddresses().get(listener).getPort();
        return CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), recorder).get(20, TimeUnit.SECONDS);
    }

    @Test
    void relaysMessagesBothWaysThroughTheUpgradedConnection() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = connect(0, recorder);

        socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
        socket.sendText("x".repeat(100_000), true).get(10, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.allocate(70_000), true).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(recorder.texts).containsExactly("hello", "x".repeat(100_000));
            assertThat(recorder.binaryLengths.stream().mapToInt(Integer::intValue).sum()).isEqualTo(70_000);
        });
        assertThat(backend.forwardedFor()).contains("127.0.0.1");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(recorder.ended.get(20, TimeUnit.SECONDS)).isEqualTo("close 1000");
    }

    @Test
    void closesTheClientWhenTheUpstreamDropsTheConnection() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = connect(0, recorder);

        socket.sendText("bye", true).get(10, TimeUnit.SECONDS);

        assertThat(recorder.ended.get(20, TimeUnit.SECONDS)).isNotEmpty();
    }

    @Test
    void closesTheUpstreamWhenTheClientGoesAway() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.openConnections() == 0);
        WebSocket socket = connect(0, new Recorder());
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.openConnections() == 1);

        socket.abort();

        await().atMost(Duration.ofSeconds(20)).until(() -> backend.openConnections() == 0);
    }

    @Test
    void closesASilentTunnelAfterTheListenersIdleTimeout() throws Exception {
        Recorder recorder = new Recorder();
        connect(1, recorder);

        assertThat(recorder.ended.get(30, TimeUnit.SECONDS)).isNotEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.openConnections() == 0);
    }
}
