package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private static TestBackend backend;
    private static TestAgent agent;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("app");
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                  - name: gone
                    instances: [{host: 127.0.0.1, port: 1}]
                routes:
                  - {id: orders, match: {path: /orders/:id, methods: [GET, POST]}, service: app}
                  - {id: gone, match: {path: /gone}, service: gone}
                """.formatted(backend.port())));
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exposesPerRouteCountersLatencyPoolAndJvmMetrics() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(HttpRequest.newBuilder(agent.uri("/orders/" + i)).build());
        }
        send(HttpRequest.newBuilder(agent.uri("/orders/1")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
        send(HttpRequest.newBuilder(agent.uri("/nowhere")).build());
        send(HttpRequest.newBuilder(agent.uri("/gone")).build());

        // A request is counted when its exchange completes on the event loop, which may be just after
        // the client has read the response: scrape until every count has landed.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> scrape = send(HttpRequest.newBuilder(agent.metricsUri()).build());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(scrape.body())
                .contains("sluice_requests_total{method=\"GET\",route=\"orders\",status=\"2xx\"} 3.0")
                .contains("sluice_requests_total{method=\"POST\",route=\"orders\",status=\"2xx\"} 1.0")
                .contains("sluice_requests_total{method=\"GET\",route=\"unmatched\",status=\"4xx\"} 1.0")
                .contains("sluice_requests_total{method=\"GET\",route=\"gone\",status=\"5xx\"} 1.0")
                .contains("sluice_request_duration_seconds_bucket{method=\"GET\",route=\"orders\",le=\"0.1\"}")
                .contains("sluice_request_duration_seconds_count{method=\"GET\",route=\"orders\"} 3")
                .contains("sluice_requests_inflight{route=\"orders\"} 0.0")
                .contains("sluice_upstream_connect_errors_total{service=\"gone\"} 1.0")
                .contains("sluice_upstream_connections{instance=\"127.0.0.1:" + backend.port() + "\",state=\"open\"}")
                .contains("jvm_memory_used_bytes");
        assertThat(scrape.body()).doesNotContain("method=\"PUT\",route=\"orders\"");
        });
    }

    @Test
    void answersOtherPathsWith404() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(agent.metricsUri().resolve("/other")).build());

        assertThat(response.statusCode()).isEqualTo(404);
    }
}
