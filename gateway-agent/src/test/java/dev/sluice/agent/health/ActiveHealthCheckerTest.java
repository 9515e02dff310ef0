package dev.sluice.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.runtime.Transport;
import dev.sluice.agent.testing.ControllableBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Active health checks against real HTTP backends on loopback that fail, slow down, hang and die. */
class ActiveHealthCheckerTest {
  private static final Duration CEILING = Duration.ofSeconds(15);
  private static HealthChecks checks;

  private final List<HealthFlip> flips = new CopyOnWriteArrayList<>();
  /** The instance's health as the checker held it when each flip was announced. */
  private final List<InstanceHealth> atFlip = new CopyOnWriteArrayList<>();
  private ControllableBackend backend;
  private ActiveHealthChecker checker;

  @BeforeAll
  static void startGroup() {
    checks = new HealthChecks(Transport.best(), 1, Clock.systemUTC());
  }

  @AfterAll
  static void stopGroup() {
    checks.close();
  }

  @BeforeEach
  void startBackend() throws Exception {
    backend = new ControllableBackend();
  }

  @AfterEach
  void stop() throws Exception {
    if (checker != null) {
      checker.close();
    }
    backend.close();
  }

  /** Checks every 200 ms; a timeout long enough that a loaded test machine never fails a healthy check. */
  private static HealthCheckSettings fast() {
    return HealthCheckSettings.of("/health").withTiming(Duration.ofMillis(200), Duration.ofSeconds(3)).withThresholds(2, 3);
  }

  /** For tests about timeouts: a short one, against backends that answer far later or never. */
  private static HealthCheckSettings shortTimeout() {
    return fast().withTiming(Duration.ofMillis(200), Duration.ofMillis(300));
  }

  private ActiveHealthChecker start(HealthCheckSettings settings, ServiceInstance... instances) {
    checker = checks.checker("users", settings, flip -> {
      atFlip.add(checker.health(flip.instanceId()));
      flips.add(flip);
    });
    checker.updateInstances(List.of(instances));
    return checker;
  }

  private static ServiceInstance instance(String id, int port) {
    return new ServiceInstance(id, "127.0.0.1", port, 1, null, dev.sluice.agent.discovery.RegistryHealth.PASSING,
        List.of(), Map.of());
  }

  private CheckState state(String id) {
    return checker.health(id).state();
  }

  @Test
  void answeringInstanceBecomesHealthyOnItsFirstPassWithoutAFlip() {
    start(fast(), instance("a", backend.port()));

    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    assertThat(flips).isEmpty();
    assertThat(backend.seen().get(0).requestLine()).isEqualTo("GET /health HTTP/1.1");
    assertThat(backend.seen().get(0).host()).isEqualTo("127.0.0.1:" + backend.port());
  }

  @Test
  void flipsUnhealthyOnlyAfterTheUnhealthyThresholdOfFailuresInARow() {
    start(fast(), instance("a", backend.port()));
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);

    backend.answer(503);

    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);
    assertThat(flips).singleElement().satisfies(flip -> {
      assertThat(flip.healthy()).isFalse();
      assertThat(flip.reason()).isEqualTo("status 503");
      assertThat(flip.service()).isEqualTo("users");
      assertThat(flip.address()).isEqualTo("127.0.0.1:" + backend.port());
    });
    assertThat(atFlip.get(0).consecutiveFailures()).as("flipped exactly at the threshold").isEqualTo(3);
  }

  @Test
  void comesBackAfterTheHealthyThresholdOfPassesInARow() {
    start(fast(), instance("a", backend.port()));
    backend.answer(500);
    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);

    backend.answer(204);

    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    await().atMost(CEILING).until(() -> flips.size() > 1);
    assertThat(flips).extracting(HealthFlip::healthy).containsExactly(false, true);
    assertThat(flips.get(1).reason()).isEqualTo("health check passing");
    assertThat(atFlip.get(1).consecutiveSuccesses()).isEqualTo(2);
    assertThat(checker.health("a").lastFailure()).as("the last failure stays visible").isEqualTo("status 500");
  }

  @Test
  void slowAnswerIsATimeout() {
    backend.slowDown(Duration.ofSeconds(5));
    start(shortTimeout().withThresholds(1, 1), instance("a", backend.port()));

    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);
    await().atMost(CEILING).until(() -> flips.size() > 0);
    assertThat(flips.get(0).reason()).isEqualTo("timeout after 300ms");
  }

  @Test
  void hangingInstanceTimesOutAndRecoversWhenItAnswersAgain() {
    start(shortTimeout().withThresholds(1, 2), instance("a", backend.port()));
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    backend.hang();

    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);
    assertThat(checker.health("a").lastFailure()).isEqualTo("timeout after 300ms");

    backend.answer(200);
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
  }

  @Test
  void deadInstanceIsConnectRefusedAndReturnsWhenRevived() throws Exception {
    start(fast().withThresholds(1, 2), instance("a", backend.port()));
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);

    backend.die();
    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);
    await().atMost(CEILING).until(() -> flips.size() > 0);
    assertThat(flips.get(0).reason()).isEqualTo("connect refused");

    backend.revive();
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    assertThat(flips).extracting(HealthFlip::healthy).containsExactly(false, true);
  }

  @Test
  void flappingInstanceFlipsOnlyOnFullRunsOfResults() {
    backend.script(List.of(
        200, 503, 200, 503, 503, 200,       // never three failures in a row: stays healthy
        503, 503, 503,                      // flips unhealthy on the third
        200, 503, 200, 200),                // two passes in a row: flips back
        200);
    start(fast(), instance("a", backend.port()));

    await().atMost(CEILING).until(() -> flips.size() == 2);
    assertThat(flips).extracting(HealthFlip::healthy).containsExactly(false, true);
    assertThat(atFlip).extracting(InstanceHealth::consecutiveFailures).containsExactly(3, 0);
    await().atMost(CEILING).until(() -> backend.seen().size() >= 15);
    assertThat(flips).hasSize(2);
  }

  @Test
  void checkedInstancesFollowTheRegistryList() throws Exception {
    try (ControllableBackend other = new ControllableBackend()) {
      start(fast(), instance("a", backend.port()));
      await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);

      checker.updateInstances(List.of(instance("a", backend.port()), instance("b", other.port())));
      await().atMost(CEILING).until(() -> state("b") == CheckState.HEALTHY);

      checker.updateInstances(List.of(instance("b", other.port())));
      await().atMost(CEILING).until(() -> !checker.snapshot().containsKey("a"));
      int seenByA = backend.seen().size();
      int seenByB = other.seen().size();
      await().atMost(CEILING).until(() -> other.seen().size() >= seenByB + 3);
      assertThat(backend.seen()).as("a removed: no more checks").hasSizeLessThanOrEqualTo(seenByA + 1);
      assertThat(checker.snapshot()).containsOnlyKeys("b");
    }
  }

  @Test
  void anInstanceWhoseAddressChangesStartsOver() throws Exception {
    try (ControllableBackend moved = new ControllableBackend()) {
      backend.answer(503);
      start(fast().withThresholds(2, 1), instance("a", backend.port()));
      await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);

      checker.updateInstances(List.of(instance("a", moved.port())));

      await().atMost(CEILING).until(() -> !moved.seen().isEmpty() && state("a") == CheckState.HEALTHY);
      assertThat(checker.health("a").lastFailure()).as("history of the old address is gone").isNull();
    }
  }

  @Test
  void aFlipListenerThatThrowsDoesNotStopTheChecks() {
    checker = checks.checker("users", fast().withThresholds(1, 1), flip -> {
      flips.add(flip);
      throw new IllegalStateException("listener bug");
    });
    backend.answer(500);
    checker.updateInstances(List.of(instance("a", backend.port())));
    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);

    backend.answer(200);

    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    assertThat(flips).extracting(HealthFlip::healthy).containsExactly(false, true);
  }

  @Test
  void sendsTheConfiguredMethodPathAndHostHeader() {
    HealthCheckSettings settings = new HealthCheckSettings("HEAD", "/ready?deep=1",
        List.of(new HealthCheckSettings.StatusRange(204, 204)), Duration.ofMillis(200), Duration.ofSeconds(3), 1, 1,
        "users.internal");
    backend.answer(204);
    start(settings, instance("a", backend.port()));

    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);
    assertThat(backend.seen().get(0).requestLine()).isEqualTo("HEAD /ready?deep=1 HTTP/1.1");
    assertThat(backend.seen().get(0).host()).isEqualTo("users.internal");

    backend.answer(200);
    await().atMost(CEILING).until(() -> state("a") == CheckState.UNHEALTHY);
    await().atMost(CEILING).until(() -> flips.size() > 0);
    assertThat(flips.get(0).reason()).as("200 is not among the expected statuses here").isEqualTo("status 200");
  }

  @Test
  void closeStopsChecking() {
    start(fast(), instance("a", backend.port()));
    await().atMost(CEILING).until(() -> state("a") == CheckState.HEALTHY);

    checker.close();

    await().atMost(CEILING).until(() -> checker.snapshot().isEmpty());
    int seen = backend.seen().size();
    backend.answer(503);
    assertThat(checker.health("a").state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(flips).isEmpty();
    assertThat(backend.seen().size()).isLessThanOrEqualTo(seen + 1);
  }
}
