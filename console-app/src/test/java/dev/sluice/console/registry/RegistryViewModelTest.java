package dev.sluice.console.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.CheckHealth;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.Override;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Snapshot;
import org.junit.jupiter.api.Test;

class RegistryViewModelTest {
  private final RegistryViewModel vm = new RegistryViewModel(null, () -> 4);

  private static Instance instance(String id, boolean serving) {
    Instance.Builder b = Instance.newBuilder().setId(id).setService("users").setHost("10.0.0.1")
        .setPort(8080).setServing(serving).setCheckHealth(CheckHealth.CHECK_HEALTH_HEALTHY);
    if (!serving) {
      b.setDrain(Override.newBuilder().setSetBy("bob").setReason("deploy"))
          .setNotServingReason("drained by bob: deploy");
    }
    return b.build();
  }

  @Test
  void drainSaysHowManyInstancesTheServiceKeeps() {
    vm.applySnapshot(Snapshot.newBuilder().addServices(Service.newBuilder().setName("users")
        .addInstances(instance("users-1", true)).addInstances(instance("users-2", true))
        .addInstances(instance("users-3", false))).build());

    var drain = vm.drain(vm.instance("users", "users-2").orElseThrow());

    assertThat(drain.blastRadius()).startsWith("Drain users-2: users keeps 1 of 3 instances serving");
    assertThat(vm.services().get(0).statusProperty().get()).isEqualTo("2 of 3 serving");
    assertThat(vm.instance("users", "users-3").orElseThrow().drainedProperty().get()).isTrue();
    assertThat(vm.instance("users", "users-3").orElseThrow().statusProperty().get())
        .isEqualTo("◌ drained by bob: deploy");
  }
}
