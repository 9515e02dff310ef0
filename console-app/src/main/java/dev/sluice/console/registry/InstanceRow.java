package dev.sluice.console.registry;

import dev.sluice.admin.v1.CheckHealth;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.RegistryHealth;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * A registry row: a service (with its instance counts) or one of its instances (with every input to
 * whether it serves). UI thread only.
 */
public final class InstanceRow {
  private final String service;
  private final @Nullable String instanceId;
  private final StringProperty address = new SimpleStringProperty(this, "address", "");
  private final StringProperty registryHealth = new SimpleStringProperty(this, "registry", "");
  private final StringProperty checkHealth = new SimpleStringProperty(this, "check", "");
  private final BooleanProperty serving = new SimpleBooleanProperty(this, "serving", true);
  private final BooleanProperty drained = new SimpleBooleanProperty(this, "drained", false);
  private final StringProperty status = new SimpleStringProperty(this, "status", "");
  private final DoubleProperty requestsPerSecond = new SimpleDoubleProperty(this, "rps", 0);
  private final LongProperty failures = new SimpleLongProperty(this, "failures", 0);
  private final StringProperty registryDetail = new SimpleStringProperty(this, "registryDetail", "");
  private final StringProperty countdown = new SimpleStringProperty(this, "countdown", "");
  private java.time.@Nullable Instant drainEnds;

  InstanceRow(String service, @Nullable String instanceId) {
    this.service = service;
    this.instanceId = instanceId;
  }

  public String service() {
    return service;
  }

  /** Absent on a service row. */
  public @Nullable String instanceId() {
    return instanceId;
  }

  public String label() {
    return instanceId == null ? service : instanceId;
  }

  void update(Instance i) {
    address.set(i.getHost() + ":" + i.getPort() + (i.getZone().isEmpty() ? "" : " · " + i.getZone()));
    registryHealth.set(registry(i.getRegistryHealth()));
    checkHealth.set(check(i.getCheckHealth()));
    serving.set(i.getServing());
    drained.set(i.hasDrain());
    drainEnds = i.hasDrain() ? dev.sluice.console.safety.Countdown.expiresAt(i.getDrain()) : null;
    tick(java.time.Instant.now());
    status.set(i.getServing() ? "● serving" : (i.hasDrain() ? "◌ " : "✕ ") + i.getNotServingReason());
  }

  void update(InstanceTelemetry t, double intervalSeconds) {
    serving.set(t.getServing());
    drained.set(t.getDrained());
    checkHealth.set(check(t.getCheckHealth()));
    requestsPerSecond.set(intervalSeconds <= 0 ? 0 : t.getRequests() / intervalSeconds);
    failures.set(t.getFailures());
    if (t.getServing()) {
      status.set("● serving");
    } else if (t.getDrained()) {
      status.set(status.get().startsWith("◌") ? status.get() : "◌ drained");
    } else {
      status.set("✕ " + notServingReason(t));
    }
  }

  private static String notServingReason(InstanceTelemetry t) {
    if (t.getEjected()) {
      return "ejected by outlier detection";
    }
    if (t.getCheckHealth() == CheckHealth.CHECK_HEALTH_UNHEALTHY) {
      return "health check failing";
    }
    if (t.getRegistryHealth() == RegistryHealth.REGISTRY_HEALTH_CRITICAL) {
      return "critical in the registry";
    }
    return "not serving";
  }

  void tick(java.time.Instant now) {
    countdown.set(drained.get() ? dev.sluice.console.safety.Countdown.text(drainEnds, now) : "");
  }

  /** "⏱ 12 min left" while a drain with a time-to-live holds; else empty. */
  public StringProperty countdownProperty() {
    return countdown;
  }

  void summarise(int serving, int total, boolean stale) {
    status.set(serving + " of " + total + " serving" + (stale ? " · registry stale" : ""));
    this.serving.set(serving == total);
  }

  void addRate(double rps, long failed) {
    requestsPerSecond.set(rps);
    failures.set(failed);
  }

  private static String registry(RegistryHealth h) {
    return switch (h) {
      case REGISTRY_HEALTH_PASSING -> "passing";
      case REGISTRY_HEALTH_WARNING -> "warning";
      case REGISTRY_HEALTH_CRITICAL -> "critical";
      default -> "";
    };
  }

  private static String check(CheckHealth h) {
    return switch (h) {
      case CHECK_HEALTH_DISABLED -> "no check";
      case CHECK_HEALTH_UNKNOWN -> "unknown";
      case CHECK_HEALTH_HEALTHY -> "healthy";
      case CHECK_HEALTH_UNHEALTHY -> "unhealthy";
      default -> "";
    };
  }

  public StringProperty addressProperty() {
    return address;
  }

  public StringProperty registryHealthProperty() {
    return registryHealth;
  }

  public StringProperty checkHealthProperty() {
    return checkHealth;
  }

  public BooleanProperty servingProperty() {
    return serving;
  }

  public BooleanProperty drainedProperty() {
    return drained;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public DoubleProperty requestsPerSecondProperty() {
    return requestsPerSecond;
  }

  public LongProperty failuresProperty() {
    return failures;
  }

  /** Registry status of a service ("fresh", "stale since …"), or why an instance does not serve. */
  public StringProperty registryDetailProperty() {
    return registryDetail;
  }

  void registryDetail(String text) {
    registryDetail.set(text);
  }
}
