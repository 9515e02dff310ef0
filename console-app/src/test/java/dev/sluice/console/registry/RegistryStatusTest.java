package dev.sluice.console.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.CheckHealth;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.RegistryHealth;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Snapshot;
import org.junit.jupiter.api.Test;

class RegistryStatusTest {
  private final RegistryViewModel vm = new RegistryViewModel(null, () -> 4);

  @Test
  void staleRegistryFillsTheBannerWithItsStatusAndInstancesSayWhyTheyDoNotServe() {
    vm.applySnapshot(Snapshot.newBuilder()
        .addServices(Service.newBuilder().setName("users").setRegistryStale(true)
            .setRegistryStatus("stale since 14:02:11 (3 failed refreshes): connection refused")
            .addInstances(Instance.newBuilder().setId("users-1").setServing(true)
                .setRegistryHealth(RegistryHealth.REGISTRY_HEALTH_PASSING)
                .setCheckHealth(CheckHealth.CHECK_HEALTH_HEALTHY))
            .addInstances(Instance.newBuilder().setId("users-2").setServing(false)
                .setRegistryHealth(RegistryHealth.REGISTRY_HEALTH_CRITICAL)
                .setCheckHealth(CheckHealth.CHECK_HEALTH_UNHEALTHY)
                .setNotServingReason("health check failing: 503")))
        .addServices(Service.newBuilder().setName("orders").setRegistryStatus("fresh"))
        .build());

    assertThat(vm.registryWarningProperty().get())
        .isEqualTo("⚠ Registry stale — last known instances kept. users: stale since 14:02:11"
            + " (3 failed refreshes): connection refused");
    assertThat(vm.services()).extracting(r -> r.registryDetailProperty().get())
        .containsExactly("stale since 14:02:11 (3 failed refreshes): connection refused", "fresh");
    InstanceRow down = vm.instance("users", "users-2").orElseThrow();
    assertThat(down.registryDetailProperty().get()).isEqualTo("health check failing: 503");
    assertThat(down.registryHealthProperty().get()).isEqualTo("critical");
    assertThat(down.checkHealthProperty().get()).isEqualTo("unhealthy");
    assertThat(vm.instance("users", "users-1").orElseThrow().registryDetailProperty().get()).isEmpty();
  }

  @Test
  void bannerClearsWhenTheRegistryIsFreshAgain() {
    vm.applySnapshot(Snapshot.newBuilder().addServices(Service.newBuilder().setName("users")
        .setRegistryStale(true).setRegistryStatus("stale since 14:02:11: timeout")).build());
    vm.applySnapshot(Snapshot.newBuilder().addServices(Service.newBuilder().setName("users")
        .setRegistryStatus("fresh")).build());

    assertThat(vm.registryWarningProperty().get()).isEmpty();
  }
}
