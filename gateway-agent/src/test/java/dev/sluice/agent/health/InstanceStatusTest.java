package dev.sluice.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.discovery.RegistryHealth;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.health.InstanceStatus.Drain;
import dev.sluice.agent.health.InstanceStatus.Ejection;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.OutlierSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InstanceStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:02:40Z");

  static ServiceInstance instance(String id, RegistryHealth health) {
    return new ServiceInstance(id, "10.0.0.1", 8080, 1, null, health, List.of(), Map.of());
  }

  static InstanceHealth check(String id, CheckState state, String lastFailure) {
    return new InstanceHealth(id, state, lastFailure, 0, 3, NOW);
  }

  @Test
  void passingInstanceWithNothingAgainstItServesWithoutAReason() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.PASSING), null, null, null);

    assertThat(status.serving()).isTrue();
    assertThat(status.reason()).isNull();
    assertThat(status.check()).isEqualTo(CheckState.UNKNOWN);
  }

  @Test
  void warningInConsulStillServesButCriticalDoesNot() {
    assertThat(InstanceStatus.of(instance("a", RegistryHealth.WARNING), null, null, null).serving()).isTrue();

    InstanceStatus critical = InstanceStatus.of(instance("a", RegistryHealth.CRITICAL), null, null, null);
    assertThat(critical.serving()).isFalse();
    assertThat(critical.reason()).isEqualTo("consul: critical");
  }

  @Test
  void failingHealthCheckNamesTheFailure() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.PASSING),
        check("a", CheckState.UNHEALTHY, "status 503"), null, null);

    assertThat(status.serving()).isFalse();
    assertThat(status.reason()).isEqualTo("health check failing: status 503");
    assertThat(status.checkFailure()).isEqualTo("status 503");
  }

  @Test
  void healthyCheckWithAnOldFailureServesAndHidesTheFailure() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.PASSING),
        check("a", CheckState.HEALTHY, "timeout after 1s"), null, null);

    assertThat(status.serving()).isTrue();
    assertThat(status.checkFailure()).isNull();
  }

  @Test
  void drainNamesWhoAndWhy() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.PASSING), null,
        new Drain("alice", "deploy rollback"), null);

    assertThat(status.serving()).isFalse();
    assertThat(status.eligible()).isFalse();
    assertThat(status.reason()).isEqualTo("drained by alice: deploy rollback");
  }

  @Test
  void ejectionNamesWhenItEndsAndWhy() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.PASSING), null, null,
        new Ejection(Instant.parse("2026-11-25T12:03:10Z"), 5));

    assertThat(status.reason()).isEqualTo("ejected until 12:03:10 UTC after 5 consecutive failures");
  }

  @Test
  void everyCauseThatHoldsIsListedDrainFirst() {
    InstanceStatus status = InstanceStatus.of(instance("a", RegistryHealth.CRITICAL),
        check("a", CheckState.UNHEALTHY, "connect refused"), new Drain("bob", ""), null);

    assertThat(status.reason()).isEqualTo("drained by bob; consul: critical; health check failing: connect refused");
  }

  @Test
  void ejectionIsReadFromTheOutlierDetectorInWallClockTime() {
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    OutlierSettings settings = new OutlierSettings(2, Duration.ofSeconds(30), Duration.ofSeconds(300), 100.0, 50.0);
    OutlierDetector detector = new OutlierDetector(settings, nanos::get, ejection -> {});
    OutlierDetector.Instance tracked = detector.instance("a");
    detector.onFailure(tracked);
    detector.onFailure(tracked);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    Ejection ejection = Ejection.of(detector.snapshot().get(0), settings, nanos::get, clock);

    assertThat(ejection).isEqualTo(new Ejection(NOW.plusSeconds(30), 2));
    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(Ejection.of(detector.snapshot().get(0), settings, nanos::get, clock)).isNull();
  }

  @Test
  void allCombinesTheSourcesByInstanceId() {
    List<InstanceStatus> statuses = InstanceStatus.all(
        List.of(instance("a", RegistryHealth.PASSING), instance("b", RegistryHealth.PASSING)),
        Map.of("b", check("b", CheckState.UNHEALTHY, "status 500")),
        Map.of(),
        Map.of());

    assertThat(statuses).extracting(InstanceStatus::serving).containsExactly(true, false);
  }
}
