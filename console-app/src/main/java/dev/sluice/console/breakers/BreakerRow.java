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
  private final StringProperty settings = new SimpleStringProperty(this, "settings", "");
  private final StringProperty instances = new SimpleStringProperty(this, "instances", "");
  private final StringProperty countdown = new SimpleStringProperty(this, "countdown", "");
  private @org.jspecify.annotations.Nullable Instant overrideEnds;

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
    StringBuilder perInstance = new StringBuilder();
    for (var i : b.getInstancesList()) {
      perInstance.append(perInstance.length() == 0 ? "Calls per instance since start: " : " · ")
          .append(i.getInstanceId()).append(' ').append(i.getFailedCalls()).append(" of ")
          .append(i.getCalls()).append(" failed");
    }
    instances.set(perInstance.toString());
    overrideEnds = override.get() != BreakerOverride.BREAKER_OVERRIDE_NONE && b.hasOverrideInfo()
        ? dev.sluice.console.safety.Countdown.expiresAt(b.getOverrideInfo()) : null;
    tick(now);
  }

  void tick(Instant now) {
    timeInState.set(stateSince.equals(Instant.EPOCH) ? ""
        : Figures.age(Duration.between(stateSince, now)));
    countdown.set(dev.sluice.console.safety.Countdown.text(overrideEnds, now));
  }

  /** When the override ends by itself; null when there is none or it holds until undone. */
  public @org.jspecify.annotations.Nullable Instant overrideEnds() {
    return overrideEnds;
  }

  /** "⏱ 29 min 12 s left" while an override with a time-to-live holds; else empty. */
  public StringProperty countdownProperty() {
    return countdown;
  }

  void settings(dev.sluice.admin.v1.BreakerSettings s) {
    settings.set(String.format(java.util.Locale.ROOT,
        "Opens at %s failures or %s slow calls (slower than %s) over the last %d calls, once %d"
            + " are in; stays open %s, then lets %d probe calls through.",
        Figures.percent(s.getFailureRateThreshold()), Figures.percent(s.getSlowCallRateThreshold()),
        Figures.latency(s.getSlowCallDuration().getSeconds() * 1_000_000
            + s.getSlowCallDuration().getNanos() / 1_000),
        s.getWindowSize(), s.getMinimumCalls(),
        Figures.age(Duration.ofSeconds(s.getOpenDuration().getSeconds())), s.getHalfOpenCalls()));
  }

  /** The breaker's settings in one sentence. */
  public StringProperty settingsProperty() {
    return settings;
  }

  /** Calls and failures per instance, when the gateway reports them. */
  public StringProperty instancesProperty() {
    return instances;
  }

  public BreakerBadge badge() {
    return new BreakerBadge(computed.get(), override.get(), countdown.get());
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
