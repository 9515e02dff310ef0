package dev.sluice.agent.health;

import static dev.sluice.agent.health.InstanceStatusTest.check;
import static dev.sluice.agent.health.InstanceStatusTest.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.discovery.RegistryHealth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingSetTest {

  private static InstanceStatus healthy(String id) {
    return InstanceStatus.of(instance(id, RegistryHealth.PASSING), null, null, null);
  }

  private static InstanceStatus failing(String id) {
    return InstanceStatus.of(instance(id, RegistryHealth.PASSING), check(id, CheckState.UNHEALTHY, "status 503"), null, null);
  }

  private static InstanceStatus drained(String id) {
    return InstanceStatus.of(instance(id, RegistryHealth.PASSING), null, new InstanceStatus.Drain("alice", "deploy"), null);
  }

  private static List<String> ids(ServingSet set) {
    List<String> ids = new ArrayList<>();
    for (InstanceStatus status : set.instances()) {
      ids.add(status.instance().id());
    }
    return ids;
  }

  @Test
  void servesOnlyHealthyInstancesWhileEnoughAreHealthy() {
    ServingSet set = ServingSet.select(List.of(healthy("a"), healthy("b"), failing("c"), drained("d")), 50.0);

    assertThat(set.panic()).isFalse();
    assertThat(ids(set)).containsExactly("a", "b");
    assertThat(set.healthy()).isEqualTo(2);
    assertThat(set.eligible()).isEqualTo(3);
  }

  @Test
  void panicSendsTrafficToEveryNonDrainedInstanceWhenTooFewAreHealthy() {
    ServingSet set = ServingSet.select(List.of(healthy("a"), failing("b"), failing("c"), drained("d")), 50.0);

    assertThat(set.panic()).isTrue();
    assertThat(ids(set)).as("drained d stays out even in panic").containsExactly("a", "b", "c");
  }

  @Test
  void exactlyAtTheThresholdIsNotPanic() {
    ServingSet set = ServingSet.select(List.of(healthy("a"), failing("b")), 50.0);

    assertThat(set.panic()).isFalse();
    assertThat(ids(set)).containsExactly("a");
  }

  @Test
  void everyInstanceFailingIsPanicOverAllOfThem() {
    ServingSet set = ServingSet.select(List.of(failing("a"), failing("b")), 50.0);

    assertThat(set.panic()).isTrue();
    assertThat(ids(set)).containsExactly("a", "b");
  }

  @Test
  void thresholdZeroSwitchesPanicOffAndCanLeaveNothing() {
    ServingSet set = ServingSet.select(List.of(failing("a"), failing("b")), 0.0);

    assertThat(set.panic()).isFalse();
    assertThat(set.instances()).isEmpty();
  }

  @Test
  void everyInstanceDrainedLeavesNothingAndNoPanic() {
    ServingSet set = ServingSet.select(List.of(drained("a"), drained("b")), 50.0);

    assertThat(set.panic()).isFalse();
    assertThat(set.instances()).isEmpty();
  }
}
