package dev.sluice.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.agent.discovery.RegistrySettings.ConsulRegistry;
import dev.sluice.agent.testing.ConsulStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The Consul registry with the real consul-client library against {@link ConsulStandIn}, an HTTP
 * stand-in written from Consul's documented API (health endpoint JSON, {@code X-Consul-Index},
 * blocking {@code index}/{@code wait}, ACL token header, maintenance endpoint), because no Consul
 * server can be installed on these machines.
 */
class ConsulServiceRegistryTest {
  private static final Duration CEILING = Duration.ofSeconds(10);

  private ConsulStandIn consul;
  private SimpleMeterRegistry meters;
  private final RecordingListener listener = new RecordingListener();
  private ConsulServiceRegistry registry;
  private final List<ListAppender<ILoggingEvent>> appenders = new java.util.ArrayList<>();

  @BeforeEach
  void startConsul() throws Exception {
    consul = new ConsulStandIn();
    meters = new SimpleMeterRegistry();
  }

  @AfterEach
  void stopAll() {
    if (registry != null) {
      registry.close();
    }
    consul.close();
    appenders.forEach(registryLogger()::detachAppender);
  }

  private ConsulRegistry settings() {
    return ConsulRegistry.at(URI.create(consul.address()))
        .withTiming(ConsulRegistry.DEFAULT_WAIT, Duration.ofMillis(50), Duration.ofMillis(400));
  }

  private ConsulServiceRegistry start(ConsulRegistry settings) {
    registry = new ConsulServiceRegistry("users", settings, meters);
    registry.start(listener);
    return registry;
  }

  private void awaitHeldQuery() {
    long before = consul.index("users");
    await().atMost(CEILING).until(() -> consul.requests().stream()
        .anyMatch(r -> r.query().containsKey("index") && Long.parseLong(r.query().get("index").get(0)) >= before));
  }

  private double stale() {
    return meters.get("sluice.registry.stale").tag("service", "users").gauge().value();
  }

  private double errors() {
    return meters.get("sluice.registry.refresh.errors").tag("service", "users").counter().count();
  }

  @Test
  void deliversInstancesWithAddressWeightZoneTagsAndHealth() {
    consul.register("users", "users-1", "node-a", "127.0.0.1", 8081, List.of("prod"), Map.of("weight", "5", "zone", "eu-1"), 1);
    consul.register("users", "users-2", "node-b", "", 8082, List.of(), Map.of(), 3);
    start(settings());

    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1", "users-2")));
    ServiceInstance first = listener.instance("users-1");
    assertThat(first.host()).isEqualTo("127.0.0.1");
    assertThat(first.port()).isEqualTo(8081);
    assertThat(first.weight()).as("meta weight wins").isEqualTo(5);
    assertThat(first.zone()).isEqualTo("eu-1");
    assertThat(first.tags()).containsExactly("prod");
    assertThat(first.health()).isEqualTo(RegistryHealth.PASSING);
    ServiceInstance second = listener.instance("users-2");
    assertThat(second.host()).as("empty service address falls back to the node's").isEqualTo("10.9.9.9");
    assertThat(second.weight()).as("Weights.Passing without meta").isEqualTo(3);
    assertThat(second.zone()).isNull();
    await().atMost(CEILING).until(() -> registry.status().freshness() == RegistryStatus.Freshness.FRESH);
    assertThat(stale()).isZero();
  }

  @Test
  void aFailingNodeCheckMakesItsInstancesCritical() {
    consul.register("users", "users-1", "node-a", "127.0.0.1", 8081, List.of(), Map.of(), 1);
    consul.register("users", "users-2", "node-b", "127.0.0.1", 8082, List.of(), Map.of(), 1);
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 2);

    consul.setNodeCheck("node-a", "critical");

    await().atMost(CEILING).until(() -> listener.instance("users-1").health() == RegistryHealth.CRITICAL);
    assertThat(listener.instance("users-2").health()).isEqualTo(RegistryHealth.PASSING);
  }

  @Test
  void theSameServiceIdOnTwoNodesGivesTwoDistinctInstances() {
    consul.register("users", "users", "node-a", "127.0.0.1", 8081, List.of(), Map.of(), 1);
    consul.register("users", "users", "node-b", "127.0.0.1", 8082, List.of(), Map.of(), 1);
    start(settings());

    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users@node-a", "users@node-b")));
    assertThat(listener.instance("users@node-b").port()).isEqualTo(8082);
  }

  @Test
  void anInstanceWithoutAPortIsLeftOutAndTheOthersStay() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    consul.register("users", "users-0", "127.0.0.1", 0, List.of(), Map.of());
    start(settings());

    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1")));
    assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.FRESH);
  }

  @Test
  void instanceAddedWhileTheQueryIsHeldArrivesWithoutWaitingForTheTimeout() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1")));
    awaitHeldQuery();

    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());

    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1", "users-2")));
    assertThat(consul.requests()).anySatisfy(r -> assertThat(r.query()).containsEntry("wait", List.of("55s")));
  }

  @Test
  void instanceRemovedArrivesAndAnEmptyAnswerIsAChange() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 2);

    consul.deregister("users", "users-1");
    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-2")));

    consul.deregister("users", "users-2");
    await().atMost(CEILING).until(() -> listener.latest.get().isEmpty());
    assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.FRESH);
  }

  @Test
  void instanceGoingCriticalStaysListedWithItsHealth() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);

    consul.setCheck("users", "users-1", "warning");
    await().atMost(CEILING).until(() -> listener.instance("users-1").health() == RegistryHealth.WARNING);
    consul.setCheck("users", "users-1", "critical");
    await().atMost(CEILING).until(() -> listener.instance("users-1").health() == RegistryHealth.CRITICAL);
    assertThat(listener.ids()).containsExactly("users-1");
  }

  @Test
  void keepsLastKnownInstancesWhileConsulIsDownThenIsFreshAgain() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 2);

    consul.stop();

    await().atMost(CEILING).until(() -> registry.status().isStale() && errors() >= 3);
    assertThat(registry.instances()).extracting(ServiceInstance::id).containsExactly("users-1", "users-2");
    assertThat(listener.ids()).containsExactly("users-1", "users-2");
    assertThat(registry.status().lastError()).isNotBlank();
    assertThat(stale()).isEqualTo(1.0);
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).as("one warning per outage, not per retry").hasSize(1);

    consul.start();
    consul.register("users", "users-3", "127.0.0.1", 8083, List.of(), Map.of());

    await().atMost(CEILING).until(() -> listener.ids().size() == 3 && !registry.status().isStale());
    assertThat(stale()).isZero();
    assertThat(listener.statuses).extracting(RegistryStatus::freshness).containsSubsequence(
        RegistryStatus.Freshness.FRESH, RegistryStatus.Freshness.STALE, RegistryStatus.Freshness.FRESH);
  }

  @Test
  void serverErrorsMarkTheRegistryStaleWithTheStatusAndKeepTheList() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);

    consul.failWith(500, "No cluster leader");

    await().atMost(CEILING).until(() -> registry.status().isStale());
    assertThat(registry.status().lastError()).isEqualTo("status 500: No cluster leader");
    assertThat(listener.ids()).containsExactly("users-1");

    consul.failWith(0, "");
    await().atMost(CEILING).until(() -> registry.status().freshness() == RegistryStatus.Freshness.FRESH);
    assertThat(listener.ids()).containsExactly("users-1");
  }

  @Test
  void startsOverFromIndexZeroWhenTheIndexGoesBackwards() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);
    awaitHeldQuery();
    int before = consul.requests().size();

    consul.restoreIndex("users", 5);
    await().atMost(CEILING).until(() -> consul.requests().stream().skip(before)
        .anyMatch(r -> r.path().startsWith("/v1/health/service/") && !r.query().containsKey("index")));
    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());

    await().atMost(CEILING).until(() -> listener.ids().size() == 2);
  }

  @Test
  void sendsTheAclTokenAsAHeaderAndNeverPrintsIt(@TempDir Path dir) throws Exception {
    consul.requireToken("s3cr3t-token");
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    Path tokenFile = Files.writeString(dir.resolve("consul.token"), "s3cr3t-token\n");
    ConsulRegistry settings = new ConsulRegistry(URI.create(consul.address()), null, null, null, tokenFile,
        List.of(), null, ConsulRegistry.DEFAULT_WAIT, Duration.ofMillis(50), Duration.ofMillis(400),
        ConsulRegistry.DEFAULT_CONNECT_TIMEOUT);
    start(settings);

    await().atMost(CEILING).until(() -> listener.ids().size() == 1);
    assertThat(consul.requests()).allSatisfy(r -> {
      assertThat(r.tokenHeader()).isEqualTo("s3cr3t-token");
      assertThat(r.query()).doesNotContainKey("token");
    });
    assertThat(settings().withToken("s3cr3t-token").toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aWrongTokenIsAnErrorThatNamesTheRefusalNotTheToken() {
    ListAppender<ILoggingEvent> logs = captureLogs();
    consul.requireToken("right");
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings().withToken("wrong-token"));

    await().atMost(CEILING).until(() -> registry.status().lastError() != null);
    assertThat(registry.status().lastError()).isEqualTo("status 403: ACL not found");
    assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.LOADING);
    assertThat(registry.status().describe()).doesNotContain("wrong-token");
    assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("wrong-token"));
    assertThat(registry.instances()).isEmpty();
    assertThat(stale()).isEqualTo(1.0);
  }

  @Test
  void tagFilterListsOnlyInstancesCarryingEveryTag() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of("prod", "v2"), Map.of());
    consul.register("users", "users-2", "127.0.0.1", 8082, List.of("canary"), Map.of());
    consul.register("users", "users-3", "127.0.0.1", 8083, List.of("prod"), Map.of());
    start(settings().withTags(List.of("prod", "v2")));

    await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1")));
    assertThat(consul.requests()).anySatisfy(r -> assertThat(r.query().get("tag")).containsExactly("prod", "v2"));
  }

  @Test
  void queriesTheConfiguredDatacenterAndServiceName() {
    consul.register("users-v2", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings().withServiceName("users-v2").withDatacenter("dc1"));
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);
    assertThat(consul.requests()).allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/health/service/users-v2");
      assertThat(r.query()).containsEntry("dc", List.of("dc1"));
    });
  }

  @Test
  void unknownDatacenterIsReportedAsTheRegistryError() {
    start(settings().withDatacenter("dc9"));
    await().atMost(CEILING).until(() -> registry.status().lastError() != null);
    assertThat(registry.status().lastError()).isEqualTo("status 500: No path to datacenter");
  }

  @Test
  void maintenanceModeIsSetAndClearedThroughTheAgent() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);

    MaintenanceResult enabled = registry.setMaintenance("users-1", true, "drained by alice: deploy rollback");

    assertThat(enabled.done()).isTrue();
    assertThat(consul.maintenanceReason("users", "users-1")).isEqualTo("drained by alice: deploy rollback");
    await().atMost(CEILING).until(() -> listener.instance("users-1").health() == RegistryHealth.CRITICAL);
    assertThat(consul.requests()).anySatisfy(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.path()).isEqualTo("/v1/agent/service/maintenance/users-1");
      assertThat(r.query()).containsEntry("enable", List.of("true"));
    });

    assertThat(registry.setMaintenance("users-1", false, "").done()).isTrue();
    assertThat(consul.maintenanceReason("users", "users-1")).isNull();
    await().atMost(CEILING).until(() -> listener.instance("users-1").health() == RegistryHealth.PASSING);
  }

  @Test
  void maintenanceOfAnUnknownInstanceFailsWithAReason() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);

    MaintenanceResult result = registry.setMaintenance("users-9", true, "x");

    assertThat(result.done()).isFalse();
    assertThat(result.error()).contains("users-9");
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheWatch() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    registry = new ConsulServiceRegistry("users", settings(), meters);
    registry.start((service, instances) -> {
      calls.incrementAndGet();
      throw new IllegalStateException("listener bug");
    });
    await().atMost(CEILING).until(() -> calls.get() == 1);
    assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.FRESH);

    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());

    await().atMost(CEILING).until(() -> calls.get() == 2 && registry.instances().size() == 2);
  }

  @Test
  void closeEndsTheWatchWhileAQueryIsHeldAndRemovesTheMeters() {
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
    start(settings());
    await().atMost(CEILING).until(() -> listener.ids().size() == 1);
    awaitHeldQuery();

    registry.close();

    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sluice-consul-users") && t.isAlive());
    assertThat(meters.find("sluice.registry.stale").gauges()).isEmpty();
    int requests = consul.requests().size();
    consul.register("users", "users-2", "127.0.0.1", 8082, List.of(), Map.of());
    assertThat(listener.ids()).containsExactly("users-1");
    assertThat(consul.requests()).hasSize(requests);
  }

  private ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    registryLogger().addAppender(appender);
    appenders.add(appender);
    return appender;
  }

  private static Logger registryLogger() {
    return (Logger) LoggerFactory.getLogger(ConsulServiceRegistry.class);
  }
}
