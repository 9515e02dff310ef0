package dev.sluice.agent.control;

import static dev.sluice.agent.control.ControlPlaneTest.instance;
import static dev.sluice.agent.control.ControlPlaneTest.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.admin.events.EventKind;
import dev.sluice.agent.resilience.BreakerOverride;
import dev.sluice.agent.resilience.BreakerState;
import dev.sluice.agent.telemetry.FrameSink;
import dev.sluice.agent.telemetry.RouteFilter;
import dev.sluice.agent.telemetry.RouteFrame;
import dev.sluice.agent.telemetry.RouteTraffic;
import dev.sluice.agent.telemetry.TrafficFrame;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Breakers, limits, drains, outlier detection, panic, retries and balancers through the real proxy,
 * against real upstream HTTP servers on loopback that are made to fail or slow down during the test.
 */
class ResilienceProxyTest {

    private static final ChangeContext ALICE = new ChangeContext("alice", "operator", "incident 42", null, 0, false);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestBackend> backends = new ArrayList<>();
    private TestAgent agent;

    @BeforeEach
    void backends() throws IOException {
        for (int i = 1; i <= 3; i++) {
            backends.add(TestBackend.start("b" + i));
        }
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        backends.forEach(TestBackend::close);
    }

    private TestBackend backend(int n) {
        return backends.get(n - 1);
    }

    private String instances(int count) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            yaml.append("                  - {host: 127.0.0.1, port: ").append(backend(i).port()).append(", id: b").append(i).append("}\n");
        }
        return yaml.toString();
    }

    /** Calls /users until the agent has ejected the users instance {@code id}. */
    private void callUntilEjected(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            get("/users");
            return instance(agent.runtime().control().state(), "users", id).ejectedUntil() != null;
        });
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(agent.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void breakerOpensUnderAFailingUpstreamForcedStatesHoldAndResetCloses() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 10, minimumCalls: 5, failureRateThreshold: 50, openDuration: 30s}
                    outlier: {maxEjectedPercent: 0}
                    instances:
                """ + instances(1) + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """), Duration.ZERO);
        backend(1).failWith(500);
        for (int i = 0; i < 5; i++) {
            assertThat(get("/users").statusCode()).isEqualTo(500);
        }

        HttpResponse<String> refused = get("/users");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValueAsLong("retry-after").orElseThrow()).isBetween(1L, 30L);
        assertThat(refused.body()).contains("\"code\":503").contains("circuit breaker is open");
        assertThat(backend(1).received()).hasSize(5);
        assertThat(service(agent.runtime().control().state(), "users").breaker().computedState()).isEqualTo(BreakerState.OPEN);
        assertThat(agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(1), Set.of(EventKind.BREAKER_TRANSITION)))
                .extracting(e -> e.event().summary())
                .contains("breaker users closed → open: failure rate 100.0% ≥ 50.0%");

        backend(1).failWith(0);
        agent.runtime().control().apply(ALICE, new Change.ForceCloseBreaker("users", null));
        assertThat(get("/users").statusCode()).isEqualTo(200);
        assertThat(service(agent.runtime().control().state(), "users").breaker().describe()).isEqualTo("forced closed; would be open");

        agent.runtime().control().apply(ALICE, new Change.TripBreaker("users", Duration.ofMinutes(10)));
        HttpResponse<String> tripped = get("/users");
        assertThat(tripped.statusCode()).isEqualTo(503);
        assertThat(tripped.headers().firstValueAsLong("retry-after").orElseThrow()).isGreaterThan(500L);

        agent.runtime().control().apply(ALICE, new Change.ResetBreaker("users"));
        assertThat(get("/users").statusCode()).isEqualTo(200);
        assertThat(service(agent.runtime().control().state(), "users").breaker().override()).isEqualTo(BreakerOverride.NONE);
    }

    @Test
    void aRateLimitAnswers429WithHeadersAndLetsThroughAboutTheConfiguredCount() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    instances:
                """ + instances(1) + """
                routes:
                  - {id: limited, match: {path: /limited}, service: users, rateLimit: {requestsPerSecond: 5, burst: 10}}
                """), Duration.ZERO);
        long start = System.nanoTime();
        int allowed = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = get("/limited");
            if (response.statusCode() == 200) {
                allowed++;
            } else {
                limited = response;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(allowed).isBetween(10, 10 + (int) Math.ceil(5 * seconds) + 1);
        assertThat(limited).isNotNull();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("ratelimit-limit")).hasValue("10");
        assertThat(limited.headers().firstValue("ratelimit-remaining")).hasValue("0");
        assertThat(limited.headers().firstValueAsLong("ratelimit-reset").orElseThrow()).isBetween(1L, 3L);
        assertThat(limited.headers().firstValueAsLong("retry-after").orElseThrow()).isEqualTo(1L);
        assertThat(limited.body()).contains("\"code\":429");
    }

    @Test
    void aLimitKeyedByAHeaderGivesEachValueItsOwnBucket() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    instances:
                """ + instances(1) + """
                routes:
                  - id: keyed
                    match: {path: /keyed}
                    service: users
                    rateLimit: {requestsPerSecond: 0.01, burst: 2, key: header, keyName: X-Tenant}
                """), Duration.ZERO);
        for (int i = 0; i < 2; i++) {
            assertThat(tenant("red").statusCode()).isEqualTo(200);
        }
        assertThat(tenant("red").statusCode()).isEqualTo(429);
        assertThat(tenant("blue").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> tenant(String name) throws Exception {
        return http.send(HttpRequest.newBuilder(agent.uri("/keyed")).header("X-Tenant", name).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRequestIsRecordedInItsRoutesTelemetryWithRateLimitsAndErrorCauses() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    instances:
                """ + instances(1) + """
                routes:
                  - {id: users, match: {path: /users}, service: users, rateLimit: {requestsPerSecond: 0.01, burst: 5}}
                """), Duration.ZERO);
        List<TrafficFrame> frames = new CopyOnWriteArrayList<>();
        agent.runtime().telemetry().watch(Duration.ofMillis(100), RouteFilter.ALL, new FrameSink() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void send(TrafficFrame frame) {
                frames.add(frame);
            }
        });
        for (int i = 0; i < 8; i++) {
            get("/users");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RouteTraffic total = RouteTraffic.NONE;
            for (TrafficFrame frame : frames) {
                for (RouteFrame route : frame.routes()) {
                    if (route.routeId().equals("users")) {
                        total = total.plus(route.traffic());
                    }
                }
            }
            assertThat(total.requests()).isEqualTo(8);
            assertThat(total.statuses().success()).isEqualTo(5);
            assertThat(total.statuses().clientError()).isEqualTo(3);
            assertThat(total.rateLimited()).isEqualTo(3);
        });
    }

    @Test
    void changingOneRoutesLimitLeavesTheOtherRoutesBucketAlone() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    instances:
                """ + instances(1) + """
                routes:
                  - {id: a, match: {path: /a}, service: users, rateLimit: {requestsPerSecond: 0.01, burst: 3}}
                  - {id: b, match: {path: /b}, service: users, rateLimit: {requestsPerSecond: 0.01, burst: 3}}
                """), Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/a").statusCode()).isEqualTo(200);
        }
        assertThat(get("/a").statusCode()).isEqualTo(429);
        assertThat(get("/b").statusCode()).isEqualTo(200);

        assertThat(agent.runtime().control().apply(ALICE, new Change.SetRateLimit("b",
                new Change.RateLimit(0.01, 50, Change.RateLimit.Key.ROUTE, null), null))).isInstanceOf(ChangeOutcome.Applied.class);

        assertThat(get("/a").statusCode()).as("route a's empty bucket survives the change to b").isEqualTo(429);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/b").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDrainUnderASteadyStreamFailsNoRequestAndSendsNoneToTheDrainedInstance() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    instances:
                """ + instances(2) + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """), Duration.ZERO);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService streams = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            streams.submit(() -> {
                while (running.get()) {
                    statuses.add(get("/users").statusCode());
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> backend(2).received().size() > 20);

        assertThat(agent.runtime().control().apply(ALICE, new Change.Drain("users", "b2", null, false)))
                .isInstanceOf(ChangeOutcome.Applied.class);
        // Requests that had already picked b2 finish there; give them a moment, then b2 must see nothing more.
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        int atSwitch = backend(2).received().size();
        int firstAfter = backend(1).received().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> backend(1).received().size() > firstAfter + 200);
        running.set(false);
        streams.shutdown();
        assertThat(streams.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(backend(2).received()).hasSize(atSwitch);
        assertThat(statuses).isNotEmpty().allMatch(status -> status == 200);
        assertThat(instance(agent.runtime().control().state(), "users", "b2").notServingReason())
                .isEqualTo("drained by alice: incident 42");
    }

    @Test
    void anInstanceFailingInARowIsEjectedAndComesBackByItself() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    outlier: {consecutiveFailures: 3, baseEjectionTime: 1s, maxEjectedPercent: 50}
                    instances:
                """ + instances(3) + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """), Duration.ZERO);
        backend(3).failWith(500);
        callUntilEjected("b3");
        int seen = backend(3).received().size();
        for (int i = 0; i < 10; i++) {
            assertThat(get("/users").statusCode()).isEqualTo(200);
        }
        assertThat(backend(3).received()).hasSize(seen);

        backend(3).failWith(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            get("/users");
            return backend(3).received().size() > seen;
        });
        assertThat(instance(agent.runtime().control().state(), "users", "b3").serving()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.runtime().events()
                .between(Instant.EPOCH, Instant.now().plusSeconds(1), Set.of(EventKind.HEALTH_CHANGED)).stream()
                .map(e -> e.event().summary()).toList().contains("users/b3 serving: outlier ejection ended; overall: serving"));
        assertThat(agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(1), Set.of(EventKind.HEALTH_CHANGED)))
                .extracting(e -> e.event().summary())
                .anyMatch(summary -> summary.startsWith("users/b3 not serving: outlier ejection: 3 consecutive failures")
                        && summary.contains("; overall: not serving (ejected until "));
    }

    @Test
    void inPanicTrafficGoesToEveryNonDrainedInstanceEvenAnEjectedOne() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    outlier: {consecutiveFailures: 2, baseEjectionTime: 60s, maxEjectedPercent: 50, panicThresholdPercent: 60}
                    instances:
                """ + instances(2) + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """), Duration.ZERO);
        backend(2).failWith(500);
        callUntilEjected("b2");
        int seen = backend(2).received().size();

        for (int i = 0; i < 10; i++) {
            get("/users");
        }

        assertThat(backend(2).received().size()).as("1 of 2 healthy is below the 60 % panic threshold").isGreaterThan(seen);
    }

    @Test
    void theRetryBudgetCapsAmplificationWhenEveryInstanceFails() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    outlier: {maxEjectedPercent: 0}
                    instances:
                """ + instances(2) + """
                routes:
                  - {id: users, match: {path: /users}, service: users, retry: {maxAttempts: 5}}
                """), Duration.ZERO);
        backend(1).failWith(503);
        backend(2).failWith(503);
        int requests = 100;
        for (int i = 0; i < requests; i++) {
            assertThat(get("/users").statusCode()).isEqualTo(503);
        }
        int attempts = backend(1).received().size() + backend(2).received().size();

        // Budget: 20 % of requests + 3 retries/s over 10 s = at most 20 + 30 retries; without it 500 attempts.
        assertThat(attempts).isGreaterThan(requests).isLessThanOrEqualTo(requests + 20 + 30 + 2);
    }

    @Test
    void anIdempotentRequestIsRetriedOnAnotherInstanceAfterAConnectFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    outlier: {maxEjectedPercent: 0}
                    instances:
                """ + "                  - {host: 127.0.0.1, port: " + closedPort + ", id: dead}\n" + instances(1) + """
                routes:
                  - {id: users, match: {path: /users}, service: users, retry: {maxAttempts: 2, perTryTimeout: 2s}}
                """), Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/users").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void leastRequestPrefersTheLessLoadedInstance() throws Exception {
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: users
                    balancer: least-request
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    instances:
                """ + instances(2) + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """), Duration.ZERO);
        backend(1).delayBy(300);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService streams = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            streams.submit(() -> {
                while (running.get()) {
                    get("/users");
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> backend(2).received().size() >= 300);
        running.set(false);
        streams.shutdown();
        assertThat(streams.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(backend(2).received().size()).isGreaterThan(4 * backend(1).received().size());
    }
}
