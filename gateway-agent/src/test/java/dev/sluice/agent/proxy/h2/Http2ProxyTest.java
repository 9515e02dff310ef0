package dev.sluice.agent.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.Http2TestClient;
import dev.sluice.agent.testing.Pattern;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import dev.sluice.agent.testing.tls.TlsClients;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 clients through a whole agent to an HTTP/1.1 upstream: ALPN h2 on the TLS listener (JDK
 * HttpClient), h2c prior knowledge on the plaintext one (Netty client), HTTP/1.1 still served on the
 * same plaintext port, per-stream answers that leave the connection open, and flow control.
 */
class Http2ProxyTest {

    private static final long BIG = 64L * 1024 * 1024;

    @TempDir static Path dir;
    static TestBackend backend;
    static TestAgent agent;
    static HttpClient h2;

    @BeforeAll
    static void start() throws Exception {
        Issued ca = CertificateFactory.newCa("H2 Test CA");
        PemFiles server = CertificateFactory.newServer(ca).writeTo(dir, "server");
        backend = TestBackend.start("one");
        agent = TestAgent.start("""
                agent: {id: h2-agent, cluster: test}
                listeners:
                  - {name: plain, host: 127.0.0.1, port: 0}
                  - name: secure
                    host: 127.0.0.1
                    port: 0
                    tls: {certificates: [{certificateChain: %s, privateKey: %s}]}
                services:
                  - name: one
                    responseTimeout: 30s
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: small, match: {path: /small}, service: one, maxBodyBytes: 10}
                  - {id: all, match: {path: /*rest}, service: one}
                """.formatted(server.certificate(), server.privateKey(), backend.port()));
        h2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(TlsClients.context(ca.certificate(), null))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        backend.clear();
    }

    private static URI secure(String path) {
        return URI.create("https://localhost:" + agent.runtime().proxyAddresses().get(1).getPort() + path);
    }

    private static int plainPort() {
        return agent.runtime().proxyAddresses().get(0).getPort();
    }

    @Test
    void servesHttp2NegotiatedByAlpnAndForwardsTheUsualHeaders() throws Exception {
        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(secure("/hello?x=1"))
                .header("X-Request-Id", "req-h2-1").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("one GET /hello?x=1");
        assertThat(response.headers().firstValue("x-request-id")).hasValue("req-h2-1");
        assertThat(backend.received()).singleElement().satisfies(r -> {
            assertThat(r.header("x-forwarded-proto")).isEqualTo("https");
            assertThat(r.header("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(r.header("x-request-id")).isEqualTo("req-h2-1");
            assertThat(r.header("host")).isEqualTo("localhost:" + agent.runtime().proxyAddresses().get(1).getPort());
            assertThat(r.headers().keySet()).noneMatch(name -> name.startsWith("x-http2-"));
        });
    }

    @Test
    void servesManyConcurrentStreamsOfOneConnection() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            responses.add(h2.sendAsync(HttpRequest.newBuilder(secure("/n/" + i)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i).join();
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("one GET /n/" + i);
        }
    }

    @Test
    void servesH2cWithPriorKnowledgeOnThePlaintextPort() throws Exception {
        try (Http2TestClient client = Http2TestClient.connect(plainPort())) {
            Http2TestClient.Response first = client.get("/a");
            Http2TestClient.Response post = client.send(HttpMethod.POST, "/b", "payload".getBytes(StandardCharsets.UTF_8));

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("one GET /a");
            assertThat(first.headers()).containsKey("x-request-id");
            assertThat(post.body()).isEqualTo("one POST /b");
        }
        assertThat(backend.received()).hasSize(2).allSatisfy(r -> assertThat(r.header("x-forwarded-proto")).isEqualTo("http"));
        assertThat(backend.received().get(1).bodyBytes()).isEqualTo(7);
    }

    @Test
    void answersAnH2cUpgradeRequestOverHttp11() throws Exception {
        HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> response = upgrading.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + plainPort() + "/upgrade")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("one GET /upgrade");
        assertThat(backend.received()).singleElement().satisfies(r -> {
            assertThat(r.header("upgrade")).isNull();
            assertThat(r.header("http2-settings")).isNull();
        });
    }

    @Test
    void stillServesHttp11OnThePlaintextPort() throws Exception {
        try (RawHttp raw = new RawHttp(plainPort())) {
            RawHttp.Response response = raw.exchange("GET /old HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("one GET /old");
        }
    }

    @Test
    void anErrorThatWouldCloseAnHttp11ConnectionEndsOnlyItsStream() throws Exception {
        try (Http2TestClient client = Http2TestClient.connect(plainPort())) {
            Http2TestClient.Response tooLarge = client.send(HttpMethod.POST, "/small", new byte[100]);
            Http2TestClient.Response after = client.get("/after");

            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(after.status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void streamsALargeUploadAndDownloadIntact() throws Exception {
        HttpResponse<String> upload = h2.send(HttpRequest.newBuilder(secure("/sha256"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(16L * 1024 * 1024)))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<java.io.InputStream> download = h2.send(HttpRequest.newBuilder(secure("/bytes?n=" + (16L * 1024 * 1024)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(upload.body()).isEqualTo(16L * 1024 * 1024 + " " + Pattern.sha256(16L * 1024 * 1024));
        try (java.io.InputStream body = download.body()) {
            assertThat(Pattern.sha256(body)).isEqualTo(Pattern.sha256(16L * 1024 * 1024));
        }
    }

    @Test
    void holdsOnlyAFewBuffersWhenTheUpstreamStopsReadingAnHttp2Upload() throws Exception {
        long before = nettyMemory();
        backend.onHold(Http2ProxyTest::nettyMemory);

        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(secure("/hold?ms=1500"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Pattern.stream(BIG)))
                        .timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo(BIG + " " + Pattern.sha256(BIG));
        // The stream's flow-control window is granted only as the upstream takes the body: while it
        // reads nothing the gateway holds about a window's worth, not the tens of MiB the client has.
        assertThat(backend.probedAtHold() - before).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void stopsReadingTheUpstreamWhileAnHttp2ClientGrantsNoWindow() throws Exception {
        long before = nettyMemory();
        long writtenBefore = backend.bytesWritten();
        try (Http2TestClient client = Http2TestClient.connect(plainPort())) {
            io.netty.channel.Channel stream = client.getWithoutReading("/bytes?n=" + BIG);

            // The client reads nothing; wait until the upstream cannot write any further.
            AtomicLong previous = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    backend.bytesWritten() > writtenBefore && backend.bytesWritten() == previous.getAndSet(backend.bytesWritten()));

            // The stream's 64 KiB window is all the gateway may send; the rest waits in the upstream
            // connection's socket buffers, not in the gateway.
            assertThat(backend.bytesWritten() - writtenBefore).isLessThan(BIG);
            assertThat(nettyMemory() - before).isLessThan(16L * 1024 * 1024);
            assertThat(client.isOpen()).isTrue();
            stream.close().sync();
        }
    }

    private static long nettyMemory() {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }
}
