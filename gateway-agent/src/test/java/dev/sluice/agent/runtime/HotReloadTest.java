package dev.sluice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HotReloadTest {

    private TestBackend blue;
    private TestBackend green;
    private TestAgent agent;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String configFor(TestBackend backend) {
        return TestAgent.config("""
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - id: app
                    match: {path: /*rest}
                    service: app
                """.formatted(backend.port()));
    }

    @BeforeEach
    void start() throws Exception {
        blue = TestBackend.start("blue");
        green = TestBackend.start("green");
        agent = TestAgent.start(configFor(blue));
    }

    @AfterEach
    void stop() {
        agent.close();
        blue.close();
        green.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(agent.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void switchesUpstreamOnFileChangeWithoutFailingAnyRequest() throws Exception {
        long versionBefore = agent.runtime().snapshot().version();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sawGreen = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger total = new AtomicInteger();
        CompletableFuture<?>[] loops = new CompletableFuture<?>[3];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = get("/ping");
                        total.incrementAndGet();
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        } else if (response.body().startsWith("green")) {
                            sawGreen.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> total.get() > 50);

        agent.rewriteConfig(configFor(green));
        await().atMost(Duration.ofSeconds(20)).until(() -> sawGreen.get() > 50);
        running.set(false);
        CompletableFuture.allOf(loops).get();

        assertThat(failures).isEmpty();
        assertThat(agent.runtime().snapshot().version()).isGreaterThan(versionBefore);
    }

    @Test
    void aRequestInFlightFinishesOnTheSnapshotItStartedWith() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/slow?ms=1500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.runtime().metrics().totalInFlight() == 1);

        ReloadResult reload = agent.runtime().apply(dev.sluice.agent.config.ConfigLoader.parse(configFor(green)));

        assertThat(reload.applied()).isTrue();
        assertThat(get("/now").body()).startsWith("green");
        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(slow.get().body()).startsWith("blue GET /slow");
    }

    @Test
    void keepsTheRunningConfigWhenTheNewFileIsInvalid() throws Exception {
        long version = agent.runtime().snapshot().version();
        agent.rewriteConfig(configFor(green).replace("service: app", "service: nowhere") + "bogus: 1\n");

        ReloadResult result = agent.runtime().reloadFromFile();

        assertThat(result.applied()).isFalse();
        assertThat(result.version()).isEqualTo(version);
        assertThat(result.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
                "bogus: unknown field 'bogus'", "routes[0].service: unknown service 'nowhere'");
        assertThat(agent.runtime().snapshot().version()).isEqualTo(version);
        assertThat(get("/still").body()).startsWith("blue");
    }
}
