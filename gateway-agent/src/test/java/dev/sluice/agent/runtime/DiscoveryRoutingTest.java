package dev.sluice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.admin.events.EventKind;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.ChangeContext;
import dev.sluice.agent.control.ChangeOutcome;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.testing.ConsulStandIn;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Registries and active health checks wired into a running agent: real loopback HTTP backends, the
 * real proxy, and for Consul the real consul-client library against {@link ConsulStandIn}. No Consul
 * server can be installed on these machines, so the stand-in plays the agent; it follows Consul's
 * documented HTTP API (health endpoint JSON, {@code X-Consul-Index}, blocking {@code index}/{@code
 * wait}, the service maintenance endpoint).
 */
class DiscoveryRoutingTest {

    private static final Duration CEILING = Duration.ofSeconds(20);
    private static final ChangeContext ALICE = new ChangeContext("alice", "operator", "deploy rollback", null, 0, false);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestBackend> backends = new ArrayList<>();
    private ConsulStandIn consul;
    private TestAgent agent;

    @BeforeEach
    void start() throws IOException {
        consul = new ConsulStandIn();
        for (int i = 1; i <= 3; i++) {
            backends.add(TestBackend.start("b" + i));
        }
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        consul.close();
        backends.forEach(TestBackend::close);
    }

    private TestBackend backend(int n) {
        return backends.get(n - 1);
    }

    private void register(int n) {
        consul.register("users", "b" + n, "127.0.0.1", backend(n).port(), List.of("prod"), Map.of());
    }

    private String consulConfig(String serviceExtras) {
        return TestAgent.config("""
                registry: {type: consul, address: "%s", retryInitial: 50ms, retryMax: 300ms, waitTime: 10s}
                services:
                  - name: users
                    discovery: consul
                    outlier: {maxEjectedPercent: 0}
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                %s
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """.formatted(consul.address(), serviceExtras));
    }

    private String staticConfig(String healthCheck) {
        StringBuilder instances = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            instances.append("          - {host: 127.0.0.1, port: ").append(backend(i).port()).append(", id: b").append(i).append("}\n");
        }
        return TestAgent.config("""
                services:
                  - name: users
                    outlier: {maxEjectedPercent: 0}
                    breaker: {windowSize: 1000, minimumCalls: 1000}
                    healthCheck: %s
                    instances:
                %s
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """.formatted(healthCheck, instances));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(agent.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Which backends answered {@code count} requests, by name; a status other than 200 counts as "failed". */
    private Map<String, Integer> spread(int count) throws Exception {
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = get("/users");
            String who = response.statusCode() == 200 ? response.body().split(" ")[0] : "failed";
            answered.merge(who, 1, Integer::sum);
        }
        return answered;
    }

    /** Waits until a round of requests reaches exactly {@code names}: the snapshot follows the registry asynchronously. */
    private void awaitRouting(String... names) {
        await().atMost(CEILING).until(() -> spread(3 * names.length).keySet().equals(Set.of(names)));
    }

    /** Requests the backend received from clients (health checks left out). */
    private long traffic(int n) {
        return backend(n).received().stream().filter(r -> r.uri().startsWith("/users")).count();
    }

    private GatewayState.ServiceState users() {
        return agent.runtime().control().state().services().stream()
                .filter(s -> s.config().name().equals("users")).findFirst().orElseThrow();
    }

    private GatewayState.InstanceState instance(String id) {
        return users().instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    private List<String> healthEvents() {
        return agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(5), Set.of(EventKind.HEALTH_CHANGED))
                .stream().map(e -> e.event().summary()).toList();
    }

    private double staleGauge() {
        return agent.runtime().metrics().registry().get("sluice.registry.stale").tag("service", "users").gauge().value();
    }

    @Test
    void consulInstancesAddedGoingCriticalAndRemovedReachRouting() throws Exception {
        register(1);
        agent = TestAgent.start(consulConfig(""), Duration.ZERO);
        // the start waits for Consul's first answer: the very first requests find the instance
        assertThat(spread(10)).containsOnlyKeys("b1");

        register(2);
        awaitRouting("b1", "b2");
        assertThat(users().instances()).extracting(GatewayState.InstanceState::id).containsExactly("b1", "b2");

        consul.setCheck("users", "b1", "critical");
        awaitRouting("b2");
        assertThat(instance("b1").serving()).isFalse();
        assertThat(instance("b1").registryHealth()).isEqualTo(GatewayState.RegistryHealth.CRITICAL);
        assertThat(instance("b1").notServingReason()).isEqualTo("consul: critical");
        long b1Before = traffic(1);
        assertThat(spread(10)).containsOnlyKeys("b2");
        assertThat(traffic(1)).isEqualTo(b1Before);

        consul.setCheck("users", "b1", "passing");
        consul.deregister("users", "b2");
        awaitRouting("b1");
        assertThat(users().instances()).extracting(GatewayState.InstanceState::id).containsExactly("b1");
        assertThat(spread(10)).containsOnlyKeys("b1");

        await().atMost(CEILING).untilAsserted(() -> assertThat(healthEvents()).contains(
                "users/b2 serving: registry: registered in consul (passing); overall: serving",
                "users/b1 not serving: registry: consul critical; overall: not serving (consul: critical)",
                "users/b1 serving: registry: consul passing; overall: serving",
                "users/b2 not serving: registry: deregistered from consul; overall: not listed"));
    }

    @Test
    void consulDownKeepsTheLastKnownInstancesAndMarksTheRegistryStaleUntilItIsBack() throws Exception {
        register(1);
        register(2);
        agent = TestAgent.start(consulConfig("    consulMaintenance: true"), Duration.ZERO);
        awaitRouting("b1", "b2");
        assertThat(users().registryStale()).isFalse();
        assertThat(staleGauge()).isZero();

        consul.stop();
        await().atMost(CEILING).until(() -> users().registryStale());
        assertThat(staleGauge()).isEqualTo(1.0);
        assertThat(users().registryStatus()).startsWith("stale since ");
        assertThat(users().instances()).extracting(GatewayState.InstanceState::id).containsExactly("b1", "b2");
        assertThat(spread(20)).containsOnlyKeys("b1", "b2");
        ChangeOutcome drained = agent.runtime().control().apply(ALICE, new Change.Drain("users", "b2", null, true));
        assertThat(drained).isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(((ChangeOutcome.Applied) drained).warnings())
                .anyMatch(w -> w.startsWith("consul maintenance mode not set for users/b2"));
        assertThat(spread(10)).containsOnlyKeys("b1");

        consul.start();
        await().atMost(CEILING).until(() -> !users().registryStale());
        assertThat(staleGauge()).isZero();
        assertThat(users().registryStatus()).isEqualTo("fresh");
        register(3);
        awaitRouting("b1", "b3");
        assertThat(users().instances()).hasSize(3);

        List<String> stale = agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(5),
                Set.of(EventKind.REGISTRY_STALE)).stream().map(e -> e.event().summary()).toList();
        assertThat(stale).hasSize(2);
        assertThat(stale.get(0)).startsWith("registry for users stale: ");
        assertThat(stale.get(1)).isEqualTo("registry for users reachable again");
    }

    @Test
    void aDrainUnderASteadyStreamFailsNoRequestAndSetsConsulMaintenanceUntilUndrained() throws Exception {
        register(1);
        register(2);
        register(3);
        agent = TestAgent.start(consulConfig("    consulMaintenance: true"), Duration.ZERO);
        awaitRouting("b1", "b2", "b3");
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
        await().atMost(CEILING).until(() -> traffic(2) > 20);

        ChangeOutcome outcome = agent.runtime().control().apply(ALICE, new Change.Drain("users", "b2", null, false));
        assertThat(outcome).isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(((ChangeOutcome.Applied) outcome).warnings()).isEmpty();
        assertThat(consul.maintenanceReason("users", "b2")).isEqualTo("drained in sluice by alice: deploy rollback");
        // requests that had already picked b2 finish there; after a moment b2 must see nothing more
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        long atSwitch = traffic(2);
        long othersAtSwitch = traffic(1) + traffic(3);
        await().atMost(CEILING).until(() -> traffic(1) + traffic(3) > othersAtSwitch + 200);
        running.set(false);
        streams.shutdown();
        assertThat(streams.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(traffic(2)).isEqualTo(atSwitch);
        assertThat(statuses).isNotEmpty().allMatch(status -> status == 200);
        await().atMost(CEILING).until(() -> instance("b2").registryHealth() == GatewayState.RegistryHealth.CRITICAL);
        assertThat(instance("b2").notServingReason()).isEqualTo("drained by alice: deploy rollback; consul: critical");

        assertThat(agent.runtime().control().apply(ALICE, new Change.Undrain("users", "b2")))
                .isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(consul.maintenanceReason("users", "b2")).isNull();
        awaitRouting("b1", "b2", "b3");
        assertThat(instance("b2").serving()).isTrue();
    }

    @Test
    void anActiveCheckFlapTakesTheInstanceOutAndBringsItBack() throws Exception {
        agent = TestAgent.start(staticConfig(
                "{path: /health, interval: 100ms, timeout: 1s, healthyThreshold: 2, unhealthyThreshold: 2}"), Duration.ZERO);
        await().atMost(CEILING).until(() -> instance("b2").checkHealth() == GatewayState.CheckHealth.HEALTHY);

        backend(2).failWith(503);
        await().atMost(CEILING).until(() -> !instance("b2").serving());
        awaitRouting("b1", "b3");
        assertThat(instance("b2").checkHealth()).isEqualTo(GatewayState.CheckHealth.UNHEALTHY);
        assertThat(instance("b2").notServingReason()).isEqualTo("health check failing: status 503");
        long before = traffic(2);
        assertThat(spread(12)).containsOnlyKeys("b1", "b3");
        assertThat(traffic(2)).isEqualTo(before);

        backend(2).failWith(0);
        awaitRouting("b1", "b2", "b3");
        assertThat(instance("b2").serving()).isTrue();

        await().atMost(CEILING).untilAsserted(() -> assertThat(healthEvents()).contains(
                "users/b2 not serving: active check: status 503; overall: not serving (health check failing: status 503)",
                "users/b2 serving: active check: health check passing; overall: serving"));
    }

    @Test
    void tooFewInstancesPassingTheirChecksSendsTrafficToAllInPanic() throws Exception {
        agent = TestAgent.start(staticConfig(
                "{path: /health, interval: 100ms, timeout: 1s, healthyThreshold: 1, unhealthyThreshold: 1}"), Duration.ZERO);
        await().atMost(CEILING).until(() -> users().instances().stream()
                .allMatch(i -> i.checkHealth() == GatewayState.CheckHealth.HEALTHY));

        backend(3).failWith(503);
        awaitRouting("b1", "b2");
        assertThat(instance("b3").serving()).isFalse();

        // one of three healthy is below the default 50 % panic threshold: every instance gets traffic
        backend(2).failWith(503);
        await().atMost(CEILING).until(() -> instance("b2").checkHealth() == GatewayState.CheckHealth.UNHEALTHY);
        await().atMost(CEILING).until(() -> spread(9).keySet().equals(Set.of("b1", "failed")));
        long b3Before = traffic(3);
        spread(9);
        assertThat(traffic(3)).isGreaterThan(b3Before);
        assertThat(instance("b3").serving()).isTrue();
        assertThat(instance("b3").notServingReason())
                .isEqualTo("gets traffic anyway, the service is in panic (1 of 3 healthy): health check failing: status 503");
        await().atMost(CEILING).untilAsserted(() -> assertThat(healthEvents()).contains("users/b2 not serving: "
                + "active check: status 503; overall: gets traffic anyway, the service is in panic (1 of 3 healthy): "
                + "health check failing: status 503"));

        backend(2).failWith(0);
        awaitRouting("b1", "b2");
        long b3Calm = traffic(3);
        assertThat(spread(12)).containsOnlyKeys("b1", "b2");
        assertThat(traffic(3)).isEqualTo(b3Calm);
    }

    private long freshQueries(String service) {
        return consul.requests().stream()
                .filter(r -> r.path().equals("/v1/health/service/" + service) && !r.query().containsKey("index"))
                .count();
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private String twoServices(String usersRegistry, boolean withOrders) {
        String orders = withOrders ? """
                  - name: orders
                    discovery: consul
                """ : "";
        String ordersRoute = withOrders ? "  - {id: orders, match: {path: /orders}, service: orders}\n" : "";
        return TestAgent.config("""
                registry: {type: consul, address: "%s", retryInitial: 50ms, retryMax: 300ms, waitTime: 10s}
                services:
                  - name: users
                    discovery: consul
                    registry: %s
                %s
                routes:
                  - {id: users, match: {path: /users}, service: users}
                %s
                """.formatted(consul.address(), usersRegistry, orders, ordersRoute));
    }

    @Test
    void aReloadRestartsOnlyTheWatcherWhoseSettingsChangedAndStopsThoseOfRemovedServices() throws Exception {
        register(1);
        consul.register("orders", "o1", "127.0.0.1", backend(2).port(), List.of(), Map.of());
        agent = TestAgent.start(twoServices("{tags: []}", true), Duration.ZERO);
        awaitRouting("b1");
        await().atMost(CEILING).until(() -> freshQueries("orders") == 1 && threadAlive("sluice-consul-orders"));
        long usersFresh = freshQueries("users");

        agent.rewriteConfig(twoServices("{tag: prod}", true));
        assertThat(agent.runtime().reloadFromFile().applied()).isTrue();
        await().atMost(CEILING).until(() -> freshQueries("users") > usersFresh);
        awaitRouting("b1");
        assertThat(freshQueries("orders")).isEqualTo(1);

        agent.rewriteConfig(twoServices("{tag: prod}", false));
        assertThat(agent.runtime().reloadFromFile().applied()).isTrue();
        await().atMost(CEILING).until(() -> !threadAlive("sluice-consul-orders"));
        assertThat(agent.runtime().metrics().registry().find("sluice.registry.stale").tag("service", "orders").gauge())
                .isNull();
        assertThat(threadAlive("sluice-consul-users")).isTrue();

        agent.close();
        agent = null;
        await().atMost(CEILING).until(() -> !threadAlive("sluice-consul-users"));
    }

    @Test
    void aDrainAskingForMaintenanceSetsItAndItsExpiryClearsItWhileTheSnapshotShowsConsulState() throws Exception {
        register(1);
        register(2);
        register(3);
        agent = TestAgent.start(consulConfig("    healthCheck: {path: /health, interval: 100ms}"), Duration.ZERO);
        awaitRouting("b1", "b2", "b3");

        ChangeOutcome outcome = agent.runtime().control().apply(ALICE,
                new Change.Drain("users", "b3", Duration.ofSeconds(1), false, true));
        assertThat(outcome).isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(consul.maintenanceReason("users", "b3")).isEqualTo("drained in sluice by alice: deploy rollback");
        awaitRouting("b1", "b2");
        await().atMost(CEILING).until(() -> consul.maintenanceReason("users", "b3") == null);
        awaitRouting("b1", "b2", "b3");

        await().atMost(CEILING).until(() -> users().instances().stream()
                .allMatch(i -> i.checkHealth() == GatewayState.CheckHealth.HEALTHY));
        dev.sluice.admin.v1.Service mapped = dev.sluice.agent.admin.StateProtoMapper
                .snapshot(agent.runtime().control().state(), id -> null).getServicesList().stream()
                .filter(svc -> svc.getName().equals("users")).findFirst().orElseThrow();
        assertThat(mapped.getRegistry()).isEqualTo(dev.sluice.admin.v1.RegistryKind.REGISTRY_KIND_CONSUL);
        assertThat(mapped.getRegistryStale()).isFalse();
        assertThat(mapped.getRegistryStatus()).isEqualTo("fresh");
        assertThat(mapped.getHealthCheck().getPath()).isEqualTo("/health");
        assertThat(mapped.getInstancesList()).extracting(dev.sluice.admin.v1.Instance::getCheckHealth)
                .containsOnly(dev.sluice.admin.v1.CheckHealth.CHECK_HEALTH_HEALTHY);
    }

    @Test
    void maintenanceIsRefusedForAServiceNotInConsul() throws Exception {
        agent = TestAgent.start(staticConfig("{path: /health}"), Duration.ZERO);

        ChangeOutcome outcome = agent.runtime().control().apply(ALICE, new Change.Drain("users", "b1", null, false, true));

        assertThat(outcome).isInstanceOf(ChangeOutcome.Invalid.class);
        assertThat(((ChangeOutcome.Invalid) outcome).violations()).extracting(v -> v.path()).containsExactly("consulMaintenance");
        assertThat(instance("b1").drain()).isNull();
    }

    @Test
    void aWatcherRestartedByAReloadDuringAConsulOutageKeepsTheLastKnownInstances() throws Exception {
        register(1);
        register(2);
        agent = TestAgent.start(consulConfig(""), Duration.ZERO);
        awaitRouting("b1", "b2");
        consul.stop();
        await().atMost(CEILING).until(() -> users().registryStale());

        agent.rewriteConfig(consulConfig("    registry: {tag: prod}"));
        assertThat(agent.runtime().reloadFromFile().applied()).isTrue();

        await().atMost(CEILING).until(() -> users().registryStale());
        assertThat(users().instances()).extracting(GatewayState.InstanceState::id).containsExactly("b1", "b2");
        assertThat(spread(10)).containsOnlyKeys("b1", "b2");
        consul.start();
        await().atMost(CEILING).until(() -> !users().registryStale());
        awaitRouting("b1", "b2");
    }

    private String checkedStatic(int count) {
        StringBuilder instances = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            instances.append("      - {host: 127.0.0.1, port: ").append(backend(i).port()).append(", id: b").append(i).append("}\n");
        }
        return TestAgent.config("""
                services:
                  - name: users
                    healthCheck: {path: /health, interval: 100ms}
                    instances:
                %s
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """.formatted(instances));
    }

    @Test
    void aReloadThatAddsAFileInstanceKeepsTheCheckerWhichStartsCheckingTheNewOne() throws Exception {
        agent = TestAgent.start(checkedStatic(2), Duration.ZERO);
        await().atMost(CEILING).until(() -> users().instances().stream()
                .allMatch(i -> i.checkHealth() == GatewayState.CheckHealth.HEALTHY));
        backend(1).failWith(503);
        await().atMost(CEILING).until(() -> instance("b1").checkHealth() == GatewayState.CheckHealth.UNHEALTHY);

        agent.rewriteConfig(checkedStatic(3));
        assertThat(agent.runtime().reloadFromFile().applied()).isTrue();

        await().atMost(CEILING).until(() -> instance("b3").checkHealth() == GatewayState.CheckHealth.HEALTHY);
        // the checker kept its state: b1 is still out, without starting over at UNKNOWN
        assertThat(instance("b1").checkHealth()).isEqualTo(GatewayState.CheckHealth.UNHEALTHY);
        awaitRouting("b2", "b3");
        assertThat(healthEvents()).filteredOn(e -> e.startsWith("users/b1 not serving: active check")).hasSize(1);
    }

    @Test
    void maintenanceADrainSetIsClearedByAnUndrainAfterARestart() throws Exception {
        register(1);
        register(2);
        register(3);
        agent = TestAgent.start(consulConfig(""), Duration.ZERO);
        awaitRouting("b1", "b2", "b3");
        assertThat(agent.runtime().control().apply(ALICE, new Change.Drain("users", "b3", null, false, true)))
                .isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(consul.maintenanceReason("users", "b3")).isNotNull();

        agent.stop();
        agent = TestAgent.startFile(agent.file());
        awaitRouting("b1", "b2");
        assertThat(instance("b3").drain()).isNotNull();

        ChangeOutcome undrained = agent.runtime().control().apply(ALICE, new Change.Undrain("users", "b3"));

        assertThat(undrained).isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(((ChangeOutcome.Applied) undrained).warnings()).isEmpty();
        assertThat(consul.maintenanceReason("users", "b3")).isNull();
        awaitRouting("b1", "b2", "b3");
    }

    @Test
    void maintenanceADrainSetIsClearedByItsExpiryAfterARestart() throws Exception {
        register(1);
        register(2);
        register(3);
        agent = TestAgent.start(consulConfig(""), Duration.ZERO);
        awaitRouting("b1", "b2", "b3");
        assertThat(agent.runtime().control().apply(ALICE, new Change.Drain("users", "b3", Duration.ofSeconds(3), false, true)))
                .isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(consul.maintenanceReason("users", "b3")).isNotNull();

        agent.stop();
        agent = TestAgent.startFile(agent.file());

        await().atMost(CEILING).until(() -> consul.maintenanceReason("users", "b3") == null);
        assertThat(instance("b3").drain()).isNull();
        awaitRouting("b1", "b2", "b3");
    }

    @Test
    void anUndrainLeavesConsulMaintenanceAloneWhenNeitherTheDrainNorTheServiceSetIt() throws Exception {
        register(1);
        register(2);
        agent = TestAgent.start(consulConfig(""), Duration.ZERO);
        awaitRouting("b1", "b2");
        assertThat(agent.runtime().control().apply(ALICE, new Change.Drain("users", "b2", null, false)))
                .isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(consul.maintenanceReason("users", "b2")).isNull();
        // someone else puts b2 in maintenance in Consul: sluice did not, so its undrain must not clear it
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(java.net.URI.create(consul.address()
                        + "/v1/agent/service/maintenance/b2?enable=true&reason=kernel%20patch"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        agent.stop();
        agent = TestAgent.startFile(agent.file());

        assertThat(agent.runtime().control().apply(ALICE, new Change.Undrain("users", "b2")))
                .isInstanceOf(ChangeOutcome.Applied.class);

        assertThat(consul.maintenanceReason("users", "b2")).isEqualTo("kernel patch");
    }

    @Test
    void aCheckPassingOnADrainedInstanceSaysTheInstanceStillDoesNotServe() throws Exception {
        agent = TestAgent.start(staticConfig(
                "{path: /health, interval: 100ms, timeout: 1s, healthyThreshold: 1, unhealthyThreshold: 1}"), Duration.ZERO);
        await().atMost(CEILING).until(() -> instance("b2").checkHealth() == GatewayState.CheckHealth.HEALTHY);
        assertThat(agent.runtime().control().apply(ALICE, new Change.Drain("users", "b2", null, false)))
                .isInstanceOf(ChangeOutcome.Applied.class);

        backend(2).failWith(503);
        await().atMost(CEILING).until(() -> instance("b2").checkHealth() == GatewayState.CheckHealth.UNHEALTHY);
        backend(2).failWith(0);

        await().atMost(CEILING).untilAsserted(() -> assertThat(healthEvents()).contains(
                "users/b2 serving: active check: health check passing; overall: not serving (drained by alice: deploy rollback)"));
    }
}
