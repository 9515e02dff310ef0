package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.Pattern;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies far larger than any buffer stream through the gateway intact and under backpressure. */
class ProxyStreamingTest {

    private static final long BIG = 64L * 1024 * 1024;
    private static TestBackend backend;
    private static TestAgent agent;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("stream");
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: stream
                    responseTimeout: 30s
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - id: all
                    match: {path: /*rest}
                    service: stream
                """.formatted(backend.port())));
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    @Test
    void streamsALargeChunkedUploadIntact() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(agent.uri("/sha256"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(BIG)))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BIG + " " + Pattern.sha256(BIG));
    }

    @Test
    void streamsALargeFixedLengthUploadIntact() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(agent.uri("/sha256"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(BIG)), BIG))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BIG + " " + Pattern.sha256(BIG));
    }

    @Test
    void streamsALargeDownloadIntact() throws Exception {
        HttpResponse<InputStream> response = CLIENT.send(HttpRequest.newBuilder(agent.uri("/bytes?n=" + BIG))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(BIG);
        try (InputStream body = response.body()) {
            assertThat(Pattern.sha256(body)).isEqualTo(Pattern.sha256(BIG));
        }
    }

    @Test
    void relaysAChunkedUpstreamResponseAsChunked() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /bytes?n=100000&chunked HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.body()).hasSize(100000);
        }
    }

    @Test
    void echoesAChunkedRequestBodyBackWhileItIsStillBeingSent() throws Exception {
        long size = 8L * 1024 * 1024;
        HttpResponse<InputStream> response = CLIENT.send(HttpRequest.newBuilder(agent.uri("/echo"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(size)))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        try (InputStream body = response.body()) {
            assertThat(Pattern.sha256(body)).isEqualTo(Pattern.sha256(size));
        }
    }

    private static long nettyMemory() {
        io.netty.buffer.ByteBufAllocatorMetric metric =
                ((io.netty.buffer.ByteBufAllocatorMetricProvider) io.netty.buffer.ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }

    @Test
    void holdsOnlyAFewBuffersWhenTheUpstreamStopsReading() throws Exception {
        long before = nettyMemory();
        backend.onHold(ProxyStreamingTest::nettyMemory);

        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(agent.uri("/hold?ms=1500"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(BIG)))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo(BIG + " " + Pattern.sha256(BIG));
        // While the upstream read nothing for 1.5 s, a gateway that kept reading the client would
        // have held tens of MiB of the 64 MiB body (measured: ~40 MiB); with backpressure it holds
        // about one read's worth.
        assertThat(backend.probedAtHold() - before).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void abandonsTheUpstreamWhenTheClientLeavesMidResponse() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send("GET /bytes?n=" + BIG + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(agent.runtime().metrics().totalInFlight()).isZero();
            var registry = agent.runtime().metrics().registry();
            double open = registry.get("sluice.upstream.connections").tags("state", "open").gauge().value();
            double idle = registry.get("sluice.upstream.connections").tags("state", "idle").gauge().value();
            assertThat(open - idle).as("upstream connections in use").isZero();
        });
    }

    @Test
    void sendsAnHttp10ClientAnUnchunkedBodyEndedByClose() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /bytes?n=100000&chunked HTTP/1.0\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.body()).hasSize(100000);
        }
    }

    @Test
    void holdsOnlyAFewBuffersWhenTheClientStopsReading() throws Exception {
        long before = nettyMemory();
        long writtenBefore = backend.bytesWritten();
        try (RawHttp raw = new RawHttp(agent.port())) {
            raw.send("GET /bytes?n=" + BIG + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(200);

            // The client reads nothing more; wait until the upstream cannot write any further.
            AtomicLong previous = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> backend.bytesWritten() == previous.getAndSet(backend.bytesWritten()));

            assertThat(backend.bytesWritten() - writtenBefore).isLessThan(BIG);
            assertThat(nettyMemory() - before).isLessThan(16L * 1024 * 1024);
            assertThat(Pattern.sha256(raw.body(BIG))).isEqualTo(Pattern.sha256(BIG));
        }
    }
}
