package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayControl;
import dev.sluice.console.connection.UiBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayViewModelTest {
  private Instant now = Instant.parse("2026-11-25T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final GatewayViewModel vm =
      new GatewayViewModel("gw-1:9090", (GatewayControl) null, clock);

  @Test
  void liveDataSaysHowOldItIs() {
    vm.apply(new UiBatch(new ConnectionState(ConnectionState.Phase.LIVE, now, "attached"),
        new UiBatch.Attached(AgentInfo.newBuilder().setAgentId("gw-1").setCluster("eu").build(),
            Session.newBuilder().setPrincipal("alice").build()),
        Snapshot.newBuilder().setConfigVersion(3).build(), List.of(), List.of()));

    assertThat(vm.nameProperty().get()).isEqualTo("gw-1");
    assertThat(vm.statusTextProperty().get()).isEqualTo("Live · config v3 · last update 0 s ago");
    assertThat(vm.staleProperty().get()).isFalse();
  }

  @Test
  void onlyAnOperatorSessionIsOfferedChanges() {
    assertThat(vm.mayChangeProperty().get()).as("nothing is offered before attach").isFalse();

    vm.apply(new UiBatch(null, new UiBatch.Attached(AgentInfo.getDefaultInstance(),
        Session.newBuilder().setRole(dev.sluice.admin.v1.Role.ROLE_VIEWER).build()),
        null, List.of(), List.of()));
    assertThat(vm.mayChangeProperty().get()).isFalse();

    vm.apply(new UiBatch(null, new UiBatch.Attached(AgentInfo.getDefaultInstance(),
        Session.newBuilder().setRole(dev.sluice.admin.v1.Role.ROLE_OPERATOR).build()),
        null, List.of(), List.of()));
    assertThat(vm.mayChangeProperty().get()).isTrue();
  }

  @Test
  void viewOnlyProfileOffersNoChangeEvenToAnOperatorAndSaysSo() {
    vm.viewOnlyProperty().set(true);

    vm.apply(new UiBatch(null, new UiBatch.Attached(AgentInfo.getDefaultInstance(),
        Session.newBuilder().setPrincipal("olivia")
            .setRole(dev.sluice.admin.v1.Role.ROLE_OPERATOR).build()),
        null, List.of(), List.of()));

    assertThat(vm.mayChangeProperty().get()).isFalse();
    assertThat(vm.accessProperty().get())
        .isEqualTo("olivia · operator · scope: everything · view-only profile: no changes sent");
  }

  @Test
  void accessNamesTheRoleScopeAndPermissionsTheAgentReported() {
    vm.apply(new UiBatch(null, new UiBatch.Attached(AgentInfo.getDefaultInstance(),
        Session.newBuilder().setPrincipal("paula").setRole(dev.sluice.admin.v1.Role.ROLE_OPERATOR)
            .setScope(dev.sluice.admin.v1.Scope.newBuilder().addServices("payments")
                .addRoutePrefixes("/pay").addRoutePrefixes("/hooks"))
            .addPermissions("permanent-override").build()),
        null, List.of(), List.of()));

    assertThat(vm.accessProperty().get()).isEqualTo(
        "paula · operator · scope: services payments; routes /pay, /hooks · may: permanent-override");
    assertThat(GatewayViewModel.describe(Session.newBuilder().setPrincipal("vera")
        .setRole(dev.sluice.admin.v1.Role.ROLE_VIEWER).build()))
        .isEqualTo("vera · viewer (read-only)");
  }

  @Test
  void scopedOperatorMayChangeOnlyTheServicesItsScopeNames() {
    vm.apply(new UiBatch(null, new UiBatch.Attached(AgentInfo.getDefaultInstance(),
        Session.newBuilder().setRole(dev.sluice.admin.v1.Role.ROLE_OPERATOR)
            .setScope(dev.sluice.admin.v1.Scope.newBuilder().addServices("payments")).build()),
        null, List.of(), List.of()));

    assertThat(vm.mayChange("payments")).isTrue();
    assertThat(vm.mayChange("users")).isFalse();
    vm.viewOnlyProperty().set(true);
    assertThat(vm.mayChange("payments")).isFalse();
  }

  @Test
  void silenceMakesTheDataStaleAndAReconnectSaysWhy() {
    vm.apply(new UiBatch(new ConnectionState(ConnectionState.Phase.LIVE, now, ""), null,
        Snapshot.newBuilder().setConfigVersion(3).build(), List.of(), List.of()));

    now = now.plus(Duration.ofSeconds(14));
    vm.tick();
    assertThat(vm.statusTextProperty().get()).endsWith("last update 14 s ago");
    assertThat(vm.staleProperty().get()).isTrue();

    vm.apply(new UiBatch(new ConnectionState(ConnectionState.Phase.RECONNECTING, now,
        "UNAVAILABLE; retrying in 2 s"), null, null, List.of(), List.of()));
    assertThat(vm.statusTextProperty().get())
        .isEqualTo("Reconnecting (UNAVAILABLE; retrying in 2 s) · config v3 · last update 14 s ago");
    assertThat(vm.staleProperty().get()).isTrue();
  }
}
