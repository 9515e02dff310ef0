package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's {@code limits:} and the route's {@code maxBodySize}, through a real agent. */
class ListenerLimitsTest {

    private final TestBackend backend;
    private TestAgent agent;

    ListenerLimitsTest() throws IOException {
        backend = TestBackend.start("app");
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        backend.close();
    }

    private TestAgent start(String limits, String routeExtras) {
        agent = TestAgent.start("""
                agent: {id: test-agent, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0, limits: {%s}}]
                metrics: {host: 127.0.0.1, port: 0}
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: small, match: {path: /small/*rest}, service: app, maxBodySize: 1KiB}
                  - {id: large, match: {path: /large/*rest}, service: app, maxBodySize: 8KiB}
                  - {id: app, match: {path: /*rest}, service: app%s}
                """.formatted(limits, backend.port(), routeExtras));
        agentPort = agent.port();
        return agent;
    }

    private static void assertRefusedAndClosed(RawHttp client, RawHttp.Response response, int status, String message)
            throws IOException {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body()).contains("\"code\":" + status).contains(message);
        assertThat(client.isClosedByServer()).isTrue();
    }

    @Test
    void answers414WhenTheRequestLineIsLongerThanTheListenerAllows() throws Exception {
        start("maxRequestLineLength: 1KiB", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response ok = client.exchange("GET /" + "a".repeat(900) + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttp.Response refused = client.exchange("GET /" + "a".repeat(1100) + " HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(ok.status()).isEqualTo(200);
            assertRefusedAndClosed(client, refused, 414, "request line is too long");
        }
    }

    @Test
    void answers431WhenTheHeaderSectionIsLargerThanTheListenerAllows() throws Exception {
        start("maxHeaderSize: 2KiB", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response refused = client.exchange("GET /x HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n");

            assertRefusedAndClosed(client, refused, 431, "headers are too large");
        }
        assertThat(backend.received()).isEmpty();
    }

    @Test
    void answers431WhenThereAreMoreHeaderFieldsThanTheListenerAllows() throws Exception {
        start("maxHeaderCount: 10", "");
        StringBuilder nine = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            nine.append("X-H").append(i).append(": v\r\n");
        }
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response ok = client.exchange("GET /x HTTP/1.1\r\nHost: gw\r\n" + nine + "\r\n");
            RawHttp.Response refused = client.exchange("GET /x HTTP/1.1\r\nHost: gw\r\n" + nine + "X-One-Too-Many: v\r\n\r\n");

            assertThat(ok.status()).isEqualTo(200);
            assertRefusedAndClosed(client, refused, 431, "too many header fields");
        }
    }

    @Test
    void answers413OnTheContentLengthBeforeAnyBodyIsSent() throws Exception {
        start("maxBodySize: 1KiB", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response refused = client.exchange("POST /x HTTP/1.1\r\nHost: gw\r\nContent-Length: 5000\r\n\r\n");

            assertRefusedAndClosed(client, refused, 413, "larger than 1024 bytes");
        }
        assertThat(backend.received()).isEmpty();
    }

    @Test
    void answers413WhenAChunkedBodyGrowsPastTheRoutesLimitWhileStreaming() throws Exception {
        start("maxBodySize: 64KiB", "");
        String chunk = "258\r\n" + "c".repeat(600) + "\r\n";
        try (RawHttp client = new RawHttp(agent.port())) {
            client.send("POST /small/upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);

            assertRefusedAndClosed(client, client.read(), 413, "larger than 1024 bytes");
        }
    }

    @Test
    void aRoutesBodyLimitReplacesTheListenerDefault() throws Exception {
        start("maxBodySize: 1KiB", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            RawHttp.Response allowed = client.exchange("POST /large/x HTTP/1.1\r\nHost: gw\r\nContent-Length: 4000\r\n\r\n"
                    + "d".repeat(4000));
            RawHttp.Response refused = client.exchange("POST /plain HTTP/1.1\r\nHost: gw\r\nContent-Length: 4000\r\n\r\n");

            assertThat(allowed.status()).isEqualTo(200);
            assertRefusedAndClosed(client, refused, 413, "larger than 1024 bytes");
        }
    }

    @Test
    void closesConnectionsBeyondTheListenersMaximumAndCountsThem() throws Exception {
        start("maxConnections: 2", "");
        RawHttp first = new RawHttp(agent.port());
        try (RawHttp second = new RawHttp(agent.port())) {
            assertThat(first.exchange("GET /1 HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            assertThat(second.exchange("GET /2 HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);

            try (RawHttp third = new RawHttp(agent.port())) {
                assertThat(third.isClosedByServer()).isTrue();
            }
            assertThat(agent.runtime().metrics().scrape())
                    .contains("sluice_connections_refused_total{listener=\"public\"} 1.0");

            first.close();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (RawHttp again = new RawHttp(agent.port())) {
                    assertThat(again.exchange("GET /3 HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
                }
            });
        }
    }

    @Test
    void answers408WhenTheRequestHeadDoesNotArriveInTime() throws Exception {
        start("headerReadTimeout: 500ms", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: gw\r\nX-Partial: ");

            assertRefusedAndClosed(client, client.read(), 408, "request head did not arrive in time");
        }
        assertThat(backend.received()).isEmpty();
        assertThat(agent.runtime().metrics().scrape()).contains("sluice_requests_refused_total{reason=\"header_timeout\"} 1.0");
    }

    @Test
    void answers408WhenTheRequestBodyStalls() throws Exception {
        start("bodyReadTimeout: 500ms", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            client.send("POST /x HTTP/1.1\r\nHost: gw\r\nContent-Length: 10\r\n\r\nabc");

            assertRefusedAndClosed(client, client.read(), 408, "request body stopped arriving");
        }
    }

    @Test
    void keepsAnIdleKeepAliveConnectionUntilTheNextRequestStarts() throws Exception {
        start("headerReadTimeout: 300ms", "");
        try (RawHttp client = new RawHttp(agent.port())) {
            assertThat(client.exchange("GET /1 HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            // Between requests only the idle timeout applies; this waits past the header deadline on purpose.
            TimeUnit.MILLISECONDS.sleep(900);

            assertThat(client.exchange("GET /2 HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void cutsSlowLorisConnectionsWhileNormalRequestsKeepSucceeding() throws Exception {
        start("headerReadTimeout: 2s", "");
        int slowConnections = 40;
        ExecutorService tricklers = Executors.newFixedThreadPool(slowConnections);
        HttpClient client = HttpClient.newHttpClient();
        try {
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < slowConnections; i++) {
                outcomes.add(CompletableFuture.supplyAsync(ListenerLimitsTest::trickleHeaders, tricklers));
            }
            int answered = 0;
            while (!CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).isDone()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(agent.uri("/normal/" + answered)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                answered++;
            }

            assertThat(answered).isPositive();
            for (CompletableFuture<String> outcome : outcomes) {
                assertThat(outcome.get()).isEqualTo("HTTP/1.1 408 Request Timeout");
            }
        } finally {
            tricklers.shutdownNow();
        }
    }

    /** Sends a request head one header line every 200 ms, for at most 30 s; returns the status line it got. */
    private static String trickleHeaders() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), agentPort)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int line = 0;
            while (System.nanoTime() < deadline) {
                if (in.available() > 0) {
                    return new String(in.readNBytes(in.available()), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
                }
                out.write(("X-Trickle-" + line++ + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                TimeUnit.MILLISECONDS.sleep(200);
            }
            return "never answered";
        } catch (IOException e) {
            return "connection failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static volatile int agentPort;
}
