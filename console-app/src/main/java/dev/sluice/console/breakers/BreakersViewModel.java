package dev.sluice.console.breakers;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.connection.Change;
import dev.sluice.console.connection.GatewayControl;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Every service's breaker, and the trip / force-close / reset commands as {@link PendingChange}s that
 * state their blast radius before anything is sent. UI thread only.
 */
public final class BreakersViewModel {
  private final ObservableList<BreakerRow> rows = FXCollections.observableArrayList();
  private final Map<String, BreakerRow> byService = new HashMap<>();
  private final GatewayControl control;
  private final LongSupplier configVersion;

  /**
   * @param configVersion the config version the console currently shows; changes are based on it
   */
  public BreakersViewModel(GatewayControl control, LongSupplier configVersion) {
    this.control = control;
    this.configVersion = configVersion;
  }

  public ObservableList<BreakerRow> rows() {
    return rows;
  }

  public Optional<BreakerRow> row(String service) {
    return Optional.ofNullable(byService.get(service));
  }

  public void apply(List<Breaker> breakers, Instant now) {
    for (Breaker b : breakers) {
      BreakerRow row = byService.get(b.getService());
      if (row == null) {
        row = new BreakerRow(b.getService());
        byService.put(b.getService(), row);
        rows.add(row);
      }
      row.update(b, now);
    }
  }

  /** Takes each service's breaker settings from the snapshot. */
  public void applySettings(List<dev.sluice.admin.v1.Service> services) {
    for (var service : services) {
      BreakerRow row = byService.get(service.getName());
      if (row != null && service.hasBreaker()) {
        row.settings(service.getBreaker());
      }
    }
  }

  /** Refreshes time-in-state once a second between frames. */
  public void tick(Instant now) {
    for (BreakerRow row : rows) {
      row.tick(now);
    }
  }

  public PendingChange trip(BreakerRow row) {
    long basedOn = configVersion.getAsLong();
    return new PendingChange(
        "Trip breaker " + row.service(),
        "Trip breaker for " + row.service() + ": " + routes(row) + " will answer 503.",
        "Trip breaker",
        true,
        reason -> control.tripBreaker(row.service(), new Change(basedOn, reason)));
  }

  public PendingChange forceClose(BreakerRow row) {
    long basedOn = configVersion.getAsLong();
    return new PendingChange(
        "Force breaker " + row.service() + " closed",
        "Force breaker for " + row.service() + " closed: " + routes(row)
            + " will send traffic to " + row.service() + " even while it fails.",
        "Force closed",
        true,
        reason ->
            control.forceCloseBreaker(row.service(), new Change(basedOn, reason)));
  }

  public PendingChange reset(BreakerRow row) {
    long basedOn = configVersion.getAsLong();
    return new PendingChange(
        "Reset breaker " + row.service(),
        "Reset breaker for " + row.service() + ": ends any override and starts CLOSED with an empty"
            + " window; " + routes(row) + " will be let through.",
        "Reset breaker",
        false,
        reason -> control.resetBreaker(row.service(), new Change(basedOn, reason)));
  }

  /** Gives the breaker's override {@code ttl} more, counted from now. */
  public PendingChange extend(BreakerRow row, java.time.Duration ttl) {
    long basedOn = configVersion.getAsLong();
    String what = BreakerBadge.overrideText(row.overrideProperty().get()).replaceFirst("^\\S+ ", "");
    return new PendingChange(
        "Extend override of " + row.service(),
        "Keep breaker " + row.service() + " " + what + " for "
            + dev.sluice.console.telemetry.Figures.age(ttl) + " from now ("
            + (row.overrideEnds() == null ? "it has no end now" : "it would end "
                + row.countdownProperty().get().replace("⏱ ", "in ").replace(" left", ""))
            + "): " + routes(row) + " stay as they are.",
        "Extend",
        false,
        reason -> control.extendOverride(
            dev.sluice.admin.v1.OverrideTarget.newBuilder().setBreakerService(row.service()).build(),
            ttl, new Change(basedOn, reason)));
  }

  static String routes(BreakerRow row) {
    int n = row.routeIds().size();
    return switch (n) {
      case 0 -> "no route goes to it yet, so nothing";
      case 1 -> "the 1 route to it (" + row.routeIds().get(0) + ")";
      default -> "all " + n + " routes to it";
    };
  }
}
