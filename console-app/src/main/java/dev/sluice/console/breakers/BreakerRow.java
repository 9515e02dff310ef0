package dev.sluice.console.breakers;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.console.telemetry.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One service's breaker as the breakers table shows it: the computed state and the operator's
 * override in separate properties, so a forced state never hides what traffic says. UI thread only.
 */
public final class BreakerRow {
  private final String service;
  private final ObjectProperty<BreakerState> computed =
      new SimpleObjectProperty<>(this, "computed", BreakerState.BREAKER_STATE_UNSPECIFIED);
  private final ObjectProperty<BreakerOverride> override =
      new SimpleObjectProperty<>(this, "override", BreakerOverride.BREAKER_OVERRIDE_NONE);
  private final StringProperty overrideBy = new SimpleStringProperty(this, "overrideBy", "");
  private final StringProperty failureRate = new SimpleStringProperty(this, "failureRate", "");
  private final StringProperty slowCallRate = new SimpleStringProperty(this, "slowCallRate", "");
  private final IntegerProperty callsInWindow = new SimpleIntegerProperty(this, "calls", 0);
  private final StringProperty timeInState = new SimpleStringProperty(this, "timeInState", "");
  private Instant stateSince = Instant.EPOCH;
  private List<String> routeIds = List.of();

  BreakerRow(String service) {
    this.service = service;
  }

  public String service() {
    return service;
  }

  /** Routes whose traffic passes this breaker: the blast radius of a trip. */
  public List<String> routeIds() {
    return routeIds;
  }

  void update(Breaker b, Instant now) {
    computed.set(b.getComputedState());
    override.set(b.getOverride() == BreakerOverride.BREAKER_OVERRIDE_UNSPECIFIED
        ? BreakerOverride.BREAKER_OVERRIDE_NONE : b.getOverride());
    overrideBy.set(b.hasOverrideInfo()
        ? b.getOverrideInfo().getSetBy() + ": " + b.getOverrideInfo().getReason() : "");
    failureRate.set(Figures.percent(b.getFailureRate()));
    slowCallRate.set(Figures.percent(b.getSlowCallRate()));
    callsInWindow.set(b.getCallsInWindow());
    stateSince = Instant.ofEpochSecond(b.getStateSince().getSeconds(), b.getStateSince().getNanos());
    routeIds = List.copyOf(b.getRouteIdsList());
    tick(now);
  }

  void tick(Instant now) {
    timeInState.set(stateSince.equals(Instant.EPOCH) ? ""
        : Figures.age(Duration.between(stateSince, now)));
  }

  public BreakerBadge badge() {
    return new BreakerBadge(computed.get(), override.get());
  }

  public ObjectProperty<BreakerState> computedProperty() {
    return computed;
  }

  public ObjectProperty<BreakerOverride> overrideProperty() {
    return override;
  }

  public StringProperty overrideByProperty() {
    return overrideBy;
  }

  public StringProperty failureRateProperty() {
    return failureRate;
  }

  public StringProperty slowCallRateProperty() {
    return slowCallRate;
  }

  public IntegerProperty callsInWindowProperty() {
    return callsInWindow;
  }

  public StringProperty timeInStateProperty() {
    return timeInState;
  }
}
