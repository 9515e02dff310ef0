package dev.sluice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventKind;
import dev.sluice.agent.admin.events.SequencedEvent;
import dev.sluice.agent.config.HeaderRewrite;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.RouteMatch;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.resilience.BreakerOverride;
import dev.sluice.agent.testing.TestAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane of a real runtime with a real state file in a temp directory: each change kind,
 * version checks, validation, the floor, dry runs, concurrency, expiry and restarts.
 */
class ControlPlaneTest {

    private static final String CONFIG = TestAgent.config("""
            services:
              - name: users
                instances:
                  - {host: 127.0.0.1, port: 9, id: users-1}
                  - {host: 127.0.0.1, port: 10, id: users-2}
                  - {host: 127.0.0.1, port: 11, id: users-3}
                  - {host: 127.0.0.1, port: 12, id: users-4}
              - name: orders
                instances: [{host: 127.0.0.1, port: 13}]
            routes:
              - {id: users-get, match: {path: /users/:id}, service: users}
              - {id: orders, match: {path: /orders/*rest}, service: orders, rateLimit: {requestsPerSecond: 100, burst: 200}}
            """);

    private TestAgent agent;

    @BeforeEach
    void start() {
        agent = TestAgent.start(CONFIG, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private ControlPlane control() {
        return agent.runtime().control();
    }

    private static ChangeContext by(String principal, String reason, long expectedVersion) {
        return new ChangeContext(principal, "operator", reason, null, expectedVersion, false);
    }

    private static ChangeContext alice() {
        return by("alice", "deploy rollback", 0);
    }

    @Test
    void eachChangeKindAppliesAndBumpsTheVersion() {
        long v = control().version();
        List<Change> changes = List.of(
                new Change.TripBreaker("users", null),
                new Change.ForceCloseBreaker("users", Duration.ofMinutes(5)),
                new Change.ResetBreaker("users"),
                new Change.Drain("users", "users-2", null, false),
                new Change.Undrain("users", "users-2"),
                new Change.SetRateLimit("users-get", new Change.RateLimit(5, 10, Change.RateLimit.Key.CLIENT_IP, null), Duration.ofMinutes(1)),
                new Change.ExtendOverride(new Change.OverrideRef.Limit("users-get"), Duration.ofMinutes(10)),
                new Change.ClearRateLimit("users-get", false),
                new Change.UpsertRoute(route("users-list", "/users", "users")),
                new Change.DeleteRoute("users-list"));
        for (Change change : changes) {
            ChangeOutcome outcome = control().apply(alice(), change);
            assertThat(outcome).as(change.toString()).isInstanceOf(ChangeOutcome.Applied.class);
            assertThat(((ChangeOutcome.Applied) outcome).version()).isEqualTo(++v);
            assertThat(control().version()).isEqualTo(v);
            assertThat(agent.runtime().snapshot().version()).isEqualTo(v);
        }
    }

    @Test
    void tripForcesTheBreakerOpenAndTheStateShowsWhoAndUntilWhen() {
        ChangeOutcome.Applied applied = (ChangeOutcome.Applied) control().apply(alice(),
                new Change.TripBreaker("users", Duration.ofMinutes(30)));

        GatewayState.ServiceState users = service(control().state(), "users");
        assertThat(users.breaker().override()).isEqualTo(BreakerOverride.FORCED_OPEN);
        assertThat(users.breakerOverride()).isNotNull();
        assertThat(users.breakerOverride().setBy()).isEqualTo("alice");
        assertThat(users.breakerOverride().expiresAt()).isEqualTo(applied.expiresAt());
        assertThat(users.routeIds()).containsExactly("users-get");
        assertThat(applied.beforeJson()).contains("\"override\":\"NONE\"");
        assertThat(applied.afterJson()).contains("\"override\":\"FORCED_OPEN\"").contains("deploy rollback");
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() throws IOException {
        long v = control().version();
        control().apply(alice(), new Change.TripBreaker("orders", null));
        String stateBefore = Files.readString(agent.stateFile());

        ChangeOutcome outcome = control().apply(by("bob", "also", v), new Change.Drain("users", "users-1", null, false));

        assertThat(outcome).isEqualTo(new ChangeOutcome.Conflict(v, v + 1));
        assertThat(control().version()).isEqualTo(v + 1);
        assertThat(instance(control().state(), "users", "users-1").drain()).isNull();
        assertThat(Files.readString(agent.stateFile())).isEqualTo(stateBefore);
    }

    @Test
    void invalidChangesNameTheirFieldsAndChangeNothing() {
        long v = control().version();

        ChangeOutcome route = control().apply(alice(), new Change.UpsertRoute(route("bad", "no-slash", "users")));
        ChangeOutcome limit = control().apply(by("alice", " ", 0), new Change.SetRateLimit("orders",
                new Change.RateLimit(-1, 0, Change.RateLimit.Key.HEADER, null), Duration.ofDays(3)));

        assertThat(route).isInstanceOf(ChangeOutcome.Invalid.class);
        assertThat(paths(route)).contains("route.match.path");
        assertThat(paths(limit)).contains("reason", "limit.requestsPerSecond", "limit.burst", "limit.keyName", "ttl");
        assertThat(((ChangeOutcome.Invalid) limit).violations()).filteredOn(x -> x.path().equals("ttl"))
                .extracting(Violation::message).first().asString().contains("24h");
        assertThat(control().version()).isEqualTo(v);
        assertThat(agent.stateFile()).doesNotExist();
    }

    @Test
    void aRouteThatClashesWithAnotherIsInvalid() {
        ChangeOutcome outcome = control().apply(alice(), new Change.UpsertRoute(new RouteConfig("users-dup",
                new RouteMatch("", "/users/:id", Set.of()), "users", null, null, HeaderRewrite.NONE, HeaderRewrite.NONE, null,
                RouteConfig.DEFAULT_MAX_BODY_BYTES)));
        assertThat(outcome).isInstanceOf(ChangeOutcome.Invalid.class);
        assertThat(paths(outcome)).allMatch(p -> p.startsWith("route"));
    }

    @Test
    void unknownTargetsAreNotFound() {
        assertThat(control().apply(alice(), new Change.TripBreaker("nope", null))).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(control().apply(alice(), new Change.Drain("users", "users-9", null, false))).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(control().apply(alice(), new Change.Undrain("users", "users-1"))).isInstanceOf(ChangeOutcome.NotFound.class);
        assertThat(control().apply(alice(), new Change.DeleteRoute("nope"))).isInstanceOf(ChangeOutcome.NotFound.class);
    }

    @Test
    void aDrainBelowTheFloorIsRefusedWithTheNumbersUnlessExplicitlyAllowed() {
        control().apply(alice(), new Change.Drain("users", "users-1", null, false));
        control().apply(alice(), new Change.Drain("users", "users-2", null, false));
        long v = control().version();

        ChangeOutcome refused = control().apply(alice(), new Change.Drain("users", "users-3", null, false));

        assertThat(refused).isInstanceOf(ChangeOutcome.FloorRefused.class);
        assertThat(((ChangeOutcome.FloorRefused) refused).message())
                .isEqualTo("users would keep 1 of 4 healthy instances; floor is 50 %");
        assertThat(control().version()).isEqualTo(v);

        ChangeOutcome escaped = control().apply(alice(), new Change.Drain("users", "users-3", null, true));
        assertThat(escaped).isInstanceOf(ChangeOutcome.Applied.class);
        assertThat(((ChangeOutcome.Applied) escaped).belowFloor()).isTrue();
        assertThat(instance(control().state(), "users", "users-3").serving()).isFalse();
        assertThat(control().runtimeState().drains().get("users/users-3").belowFloor()).isTrue();
    }

    @Test
    void aChangeThatCannotBePersistedChangesNothing() throws IOException {
        long v = control().version();
        // A non-empty directory where the state file goes: the atomic rename over it fails.
        Files.createDirectories(agent.stateFile());
        Path blocker = Files.writeString(agent.stateFile().resolve("blocker"), "x");
        try {
            assertThatThrownBy(() -> control().apply(alice(), new Change.TripBreaker("users", null)))
                    .isInstanceOf(ControlPlane.StateNotSavedException.class)
                    .hasMessageContaining("nothing was changed");
            assertThat(control().version()).isEqualTo(v);
            assertThat(agent.runtime().snapshot().version()).isEqualTo(v);
            assertThat(service(control().state(), "users").breaker().override()).isEqualTo(BreakerOverride.NONE);
        } finally {
            Files.delete(blocker);
            Files.delete(agent.stateFile());
        }
    }

    @Test
    void aDryRunRunsEveryCheckAndChangesNothing() {
        long v = control().version();
        ChangeContext dry = new ChangeContext("alice", "operator", "what if", null, v, true);

        ChangeOutcome outcome = control().apply(dry, new Change.Drain("users", "users-1", Duration.ofMinutes(5), false));

        assertThat(outcome).isInstanceOf(ChangeOutcome.Applied.class);
        ChangeOutcome.Applied applied = (ChangeOutcome.Applied) outcome;
        assertThat(applied.dryRun()).isTrue();
        assertThat(applied.version()).isEqualTo(v);
        assertThat(applied.afterJson()).contains("\"drained\":true");
        assertThat(control().version()).isEqualTo(v);
        assertThat(instance(control().state(), "users", "users-1").drain()).isNull();
        assertThat(agent.stateFile()).doesNotExist();
    }

    @Test
    void ofConcurrentChangesOnTheSameVersionExactlyOneWins() throws Exception {
        long v = control().version();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ChangeOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int n = i;
            outcomes.add(pool.submit(() -> {
                go.await();
                return control().apply(by("op" + n, "race", v), new Change.SetRateLimit("orders",
                        new Change.RateLimit(10 + n, 10, Change.RateLimit.Key.ROUTE, null), null));
            }));
        }
        go.countDown();
        List<ChangeOutcome> results = new ArrayList<>();
        for (Future<ChangeOutcome> f : outcomes) {
            results.add(f.get());
        }
        pool.shutdown();

        assertThat(results).filteredOn(o -> o instanceof ChangeOutcome.Applied).hasSize(1);
        assertThat(results).filteredOn(o -> o instanceof ChangeOutcome.Conflict).hasSize(callers - 1);
        assertThat(control().version()).isEqualTo(v + 1);
    }

    @Test
    void anOverrideEndsByItselfAtItsDeadlineAndListenersAreTold() {
        List<String> heard = new CopyOnWriteArrayList<>();
        control().addListener((context, change, outcome, expired) ->
                heard.add(change.target() + " expired=" + expired + " by " + context.principal() + ": " + context.reason()));
        control().recordExpiriesWith((change, outcome, expiry) -> expiry);
        long startSeq = agent.runtime().events().lastSequence();

        control().apply(alice(), new Change.Drain("users", "users-2", Duration.ofSeconds(1), false));
        assertThat(instance(control().state(), "users", "users-2").serving()).isFalse();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(instance(control().state(), "users", "users-2").drain()).isNull());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard).containsExactly(
                "instance:users/users-2 expired=false by alice: deploy rollback",
                "instance:users/users-2 expired=true by sluice-agent: ttl of 1s expired (set by alice: deploy rollback)"));
        assertThat(control().runtimeState().drains()).isEmpty();
        List<SequencedEvent> expiries = agent.runtime().events()
                .between(Instant.EPOCH, Instant.now().plusSeconds(1), Set.of(EventKind.OVERRIDE_EXPIRED));
        assertThat(expiries).extracting(e -> e.event().summary())
                .containsExactly("drain of users/users-2 expired after 1s, set by alice: deploy rollback");
        assertThat(agent.runtime().events().lastSequence()).isGreaterThan(startSeq);
    }

    @Test
    void overridesAndDeadlinesSurviveARestart() {
        ChangeOutcome.Applied drain = (ChangeOutcome.Applied) control().apply(alice(),
                new Change.Drain("users", "users-4", Duration.ofHours(2), false));
        control().apply(alice(), new Change.TripBreaker("orders", null));
        control().apply(alice(), new Change.SetRateLimit("users-get", new Change.RateLimit(3, 6, Change.RateLimit.Key.ROUTE, null), null));
        long version = control().version();
        Path file = agent.file();
        agent.stop();

        agent = TestAgent.startFile(file);

        GatewayState state = control().state();
        assertThat(state.version()).isGreaterThan(version);
        assertThat(instance(state, "users", "users-4").drain().expiresAt()).isEqualTo(drain.expiresAt());
        assertThat(service(state, "orders").breaker().override()).isEqualTo(BreakerOverride.FORCED_OPEN);
        GatewayState.RouteState route = state.routes().stream().filter(r -> r.route().id().equals("users-get")).findFirst().orElseThrow();
        assertThat(route.effectiveLimit()).isEqualTo(new Change.RateLimit(3, 6, Change.RateLimit.Key.ROUTE, null));
        assertThat(route.differsFromFile()).isTrue();
        assertThat(route.limitOverride().setBy()).isEqualTo("alice");
    }

    @Test
    void aDeadlinePassedWhileStoppedExpiresAtStart() {
        control().apply(alice(), new Change.TripBreaker("users", Duration.ofSeconds(1)));
        Path file = agent.file();
        agent.stop();
        await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> true);

        agent = TestAgent.startFile(file);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(service(control().state(), "users").breaker().override()).isEqualTo(BreakerOverride.NONE);
            assertThat(control().runtimeState().breakerOverrides()).isEmpty();
        });
    }

    @Test
    void anExpiryBeforeARecorderIsSetIsAnnouncedOnceWhenItIs() {
        control().apply(alice(), new Change.TripBreaker("users", Duration.ofSeconds(1)));
        Path file = agent.file();
        agent.stop();
        await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> true);
        agent = TestAgent.startFile(file);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(control().runtimeState().breakerOverrides()).isEmpty());
        assertThat(overrideExpiries()).isEmpty();

        List<String> recorded = new CopyOnWriteArrayList<>();
        control().recordExpiriesWith((change, outcome, expiry) -> {
            recorded.add(change.target());
            return new AgentEvent.OverrideExpired(expiry.overrideKind(), expiry.target(), expiry.expired(), "a-000042");
        });

        assertThat(recorded).containsExactly("breaker:users");
        assertThat(overrideExpiries()).singleElement().satisfies(e -> {
            AgentEvent.OverrideExpired expired = (AgentEvent.OverrideExpired) e.event();
            assertThat(expired.auditEntryId()).isEqualTo("a-000042");
            assertThat(expired.summary()).isEqualTo("breaker of users expired after 1s, set by alice: deploy rollback");
        });
    }

    private List<SequencedEvent> overrideExpiries() {
        return agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(1),
                Set.of(EventKind.OVERRIDE_EXPIRED));
    }

    @Test
    void aCorruptStateFileIsSetAsideAndReported() throws IOException {
        Path file = agent.file();
        Path state = agent.stateFile();
        agent.stop();
        Files.writeString(state, "{ not json", StandardCharsets.UTF_8);

        agent = TestAgent.startFile(file);

        assertThat(control().stateProblem()).contains("unreadable").contains(".corrupt-");
        assertThat(control().runtimeState().isEmpty()).isTrue();
        try (Stream<Path> siblings = Files.list(state.getParent())) {
            List<Path> corrupt = siblings.filter(p -> p.getFileName().toString().startsWith(state.getFileName() + ".corrupt-")).toList();
            assertThat(corrupt).isNotEmpty();
            for (Path p : corrupt) {
                assertThat(Files.readString(p)).isEqualTo("{ not json");
                Files.delete(p);
            }
        }
    }

    @Test
    void aFileReloadKeepsTheOverlayAndDropsWhatNoLongerFits() {
        control().apply(alice(), new Change.Drain("users", "users-4", null, false));
        control().apply(alice(), new Change.SetRateLimit("orders", new Change.RateLimit(1, 1, Change.RateLimit.Key.ROUTE, null), null));
        agent.rewriteConfig(CONFIG.replaceAll("(?m)^.*id: users-4.*\n", ""));

        assertThat(agent.runtime().reloadFromFile().applied()).isTrue();

        assertThat(control().runtimeState().drains()).isEmpty();
        assertThat(control().runtimeState().limitOverrides()).containsKey("orders");
        assertThat(agent.runtime().events().between(Instant.EPOCH, Instant.now().plusSeconds(1), Set.of(EventKind.DRAIN_CHANGED)))
                .extracting(e -> ((AgentEvent.DrainChanged) e.event()).drained()).containsExactly(true, false);
    }

    private static RouteConfig route(String id, String path, String service) {
        return new RouteConfig(id, new RouteMatch("", path, Set.of("GET")), service, null, null,
                HeaderRewrite.NONE, HeaderRewrite.NONE, null, RouteConfig.DEFAULT_MAX_BODY_BYTES);
    }

    private static List<String> paths(ChangeOutcome outcome) {
        assertThat(outcome).isInstanceOf(ChangeOutcome.Invalid.class);
        return ((ChangeOutcome.Invalid) outcome).violations().stream().map(Violation::path).toList();
    }

    static GatewayState.ServiceState service(GatewayState state, String name) {
        return state.services().stream().filter(s -> s.config().name().equals(name)).findFirst().orElseThrow();
    }

    static GatewayState.InstanceState instance(GatewayState state, String service, String id) {
        return service(state, service).instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }
}
