package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server from Debian ({@code apt-get install prometheus}; .ci/run installs it)
 * scrapes the agent and can query its per-route counters.
 */
class PrometheusScrapeTest {

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesPerRouteCounters() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (TestBackend backend = TestBackend.start("app");
                TestAgent agent = TestAgent.start(TestAgent.config("""
                        services:
                          - name: app
                            instances: [{host: 127.0.0.1, port: %d}]
                        routes:
                          - {id: scraped, match: {path: /*rest}, service: app}
                        """.formatted(backend.port())))) {
            for (int i = 0; i < 5; i++) {
                client.send(HttpRequest.newBuilder(agent.uri("/hello")).build(), HttpResponse.BodyHandlers.discarding());
            }
            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s}
                    scrape_configs:
                      - job_name: sluice
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(agent.metricsUri().getPort()));
            Process prometheus = new ProcessBuilder("prometheus",
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                String query = URLEncoder.encode("sluice_requests_total{route=\"scraped\",status=\"2xx\",method=\"GET\"}",
                        StandardCharsets.UTF_8);
                URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + query);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.body()).contains("\"job\":\"sluice\"").contains(",\"5\"]");
                });
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
