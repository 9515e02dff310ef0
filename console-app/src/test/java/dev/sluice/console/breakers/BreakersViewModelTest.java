package dev.sluice.console.breakers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.console.connection.Change;
import dev.sluice.console.connection.GatewayControl;
import dev.sluice.console.support.Protos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BreakersViewModelTest {
  private final List<String> sent = new ArrayList<>();
  private final GatewayControl control = new GatewayControl() {
    @Override
    public CompletableFuture<ChangeResult> tripBreaker(String service, Change change) {
      return record("trip " + service, change);
    }

    @Override
    public CompletableFuture<ChangeResult> forceCloseBreaker(String service, Change change) {
      return record("force-close " + service, change);
    }

    @Override
    public CompletableFuture<ChangeResult> resetBreaker(String service, Change change) {
      return record("reset " + service, change);
    }

    @Override
    public CompletableFuture<ChangeResult> drainInstance(String s, String i, Change change) {
      return record("drain " + i, change);
    }

    @Override
    public CompletableFuture<ChangeResult> undrainInstance(String s, String i, Change change) {
      return record("undrain " + i, change);
    }

    @Override
    public CompletableFuture<ChangeResult> extendOverride(
        dev.sluice.admin.v1.OverrideTarget target, java.time.Duration ttl, Change change) {
      return record("extend " + target.getBreakerService() + " by " + ttl.toMinutes() + " min", change);
    }

    private CompletableFuture<ChangeResult> record(String what, Change change) {
      sent.add(what + " @v" + change.expectedVersion() + ": " + change.reason());
      return CompletableFuture.completedFuture(ChangeResult.getDefaultInstance());
    }
  };
  private final BreakersViewModel vm = new BreakersViewModel(control, () -> 7);

  @Test
  void tripStatesItsBlastRadiusInRoutes() {
    vm.apply(List.of(Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
        BreakerOverride.BREAKER_OVERRIDE_NONE, "users-list", "users-get", "users-update")),
        Instant.now());

    var trip = vm.trip(vm.row("users").orElseThrow());

    assertThat(trip.blastRadius())
        .isEqualTo("Trip breaker for users: all 3 routes to it will answer 503.");
    assertThat(trip.destructive()).isTrue();
  }

  @Test
  void confirmedChangeCarriesTheReasonAndTheShownVersion() {
    vm.apply(List.of(Protos.breaker("orders", BreakerState.BREAKER_STATE_OPEN,
        BreakerOverride.BREAKER_OVERRIDE_NONE, "orders-get")), Instant.now());

    vm.forceClose(vm.row("orders").orElseThrow()).confirm("  INC-12 false positives ");

    assertThat(sent).containsExactly("force-close orders @v7: INC-12 false positives");
  }

  @Test
  void changeIsBasedOnTheVersionShownWhenItWasAskedFor() {
    java.util.concurrent.atomic.AtomicLong shown = new java.util.concurrent.atomic.AtomicLong(7);
    BreakersViewModel live = new BreakersViewModel(control, shown::get);
    live.apply(List.of(Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
        BreakerOverride.BREAKER_OVERRIDE_NONE)), Instant.now());
    var trip = live.trip(live.row("users").orElseThrow());

    shown.set(8);
    trip.confirm("INC-9");

    assertThat(sent).containsExactly("trip users @v7: INC-9");
  }

  @Test
  void blankReasonSendsNothing() {
    vm.apply(List.of(Protos.breaker("orders", BreakerState.BREAKER_STATE_OPEN,
        BreakerOverride.BREAKER_OVERRIDE_NONE)), Instant.now());

    var result = vm.reset(vm.row("orders").orElseThrow()).confirm("   ");

    assertThat(result).isCompletedExceptionally();
    assertThat(sent).isEmpty();
  }

  @Test
  void overrideIsKeptApartFromComputedState() {
    vm.apply(List.of(Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
        BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN)), Instant.now());

    BreakerRow row = vm.row("users").orElseThrow();
    assertThat(row.computedProperty().get()).isEqualTo(BreakerState.BREAKER_STATE_CLOSED);
    assertThat(row.badge().text()).isEqualTo("✕ OPEN (forced)");
    assertThat(row.badge().styleClass()).isEqualTo("breaker-open");
  }

  @Test
  void anOverrideWithATimeToLiveCountsDownOnTheRowAndTheBadgeAndExtendsByTarget() {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    var breaker = Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
        BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN, "users-get").toBuilder()
        .setOverrideInfo(dev.sluice.admin.v1.Override.newBuilder().setSetBy("olivia")
            .setReason("INC-5").setExpiresAt(com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(now.plusSeconds(1_800).getEpochSecond())))
        .build();
    vm.apply(List.of(breaker), now);
    BreakerRow row = vm.row("users").orElseThrow();

    assertThat(row.countdownProperty().get()).isEqualTo("⏱ 30 min 0 s left");
    vm.tick(now.plusSeconds(1_795));
    assertThat(row.countdownProperty().get()).isEqualTo("⏱ 5 s left");
    assertThat(row.badge().text()).isEqualTo("✕ OPEN (forced) ⏱ 5 s left");

    vm.extend(row, java.time.Duration.ofMinutes(30)).confirm("still bad");
    assertThat(sent).containsExactly("extend users by 30 min @v7: still bad");
  }

  @Test
  void aPermanentOverrideHasNoCountdown() {
    vm.apply(List.of(Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
        BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN, "users-get")), Instant.now());

    assertThat(vm.row("users").orElseThrow().countdownProperty().get()).isEmpty();
  }
}
