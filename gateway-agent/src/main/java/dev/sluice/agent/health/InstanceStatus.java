package dev.sluice.agent.health;

import dev.sluice.agent.discovery.RegistryHealth;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.OutlierSettings;
import dev.sluice.agent.resilience.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether one instance may serve, and why not: it serves when the registry says passing or warning,
 * the active check is not UNHEALTHY (UNKNOWN serves), no operator drained it and outlier detection has
 * not ejected it. {@code reason} lists every cause that holds, in that order of precedence: drain,
 * registry, health check, ejection, e.g. {@code "drained by alice: deploy rollback; consul: critical"}.
 *
 * @param check the active check's state; UNKNOWN when the service has no active check
 * @param checkFailure the check's last failure, shown while it is UNHEALTHY
 * @param drain the operator's drain, null when not drained
 * @param ejection outlier ejection in force now, null when not ejected
 * @param reason why it does not serve; null when it serves
 */
public record InstanceStatus(
    ServiceInstance instance,
    CheckState check,
    @Nullable String checkFailure,
    @Nullable Drain drain,
    @Nullable Ejection ejection,
    boolean serving,
    @Nullable String reason) {

  private static final DateTimeFormatter CLOCK_TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** An operator's drain: who and why. */
  public record Drain(String by, String reason) {
    public Drain {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * An ejection by outlier detection, in wall-clock time.
   *
   * @param until when the instance returns
   * @param consecutiveFailures the failures in a row that eject, from the service's outlier settings
   */
  public record Ejection(Instant until, int consecutiveFailures) {

    /** The ejection {@code state} shows now, or null when it shows none; converts the detector's ticker time. */
    public static @Nullable Ejection of(OutlierDetector.InstanceOutlierState state, OutlierSettings settings,
        Ticker ticker, Clock clock) {
      Long untilNanos = state.ejectedUntilNanos();
      if (!state.ejected() || untilNanos == null) {
        return null;
      }
      long left = untilNanos - ticker.nanos();
      if (left <= 0) {
        return null;
      }
      return new Ejection(clock.instant().plusNanos(left), settings.consecutiveFailures());
    }
  }

  /**
   * The status of {@code instance}.
   *
   * @param health the active check's view, or null when the service has no active check
   */
  public static InstanceStatus of(ServiceInstance instance, @Nullable InstanceHealth health, @Nullable Drain drain,
      @Nullable Ejection ejection) {
    CheckState check = health == null ? CheckState.UNKNOWN : health.state();
    String failure = health == null || check != CheckState.UNHEALTHY ? null : health.lastFailure();
    List<String> reasons = new ArrayList<>(2);
    if (drain != null) {
      reasons.add(drain.reason().isBlank() ? "drained by " + drain.by() : "drained by " + drain.by() + ": " + drain.reason());
    }
    if (!instance.health().serves()) {
      // only Consul reports anything but passing; config-file instances are always passing
      reasons.add("consul: " + instance.health().name().toLowerCase(Locale.ROOT));
    }
    if (check == CheckState.UNHEALTHY) {
      reasons.add(failure == null ? "health check failing" : "health check failing: " + failure);
    }
    if (ejection != null) {
      reasons.add("ejected until " + CLOCK_TIME.format(ejection.until()) + " UTC after "
          + ejection.consecutiveFailures() + " consecutive failures");
    }
    boolean serving = reasons.isEmpty();
    return new InstanceStatus(instance, check, failure, drain, ejection, serving, serving ? null : String.join("; ", reasons));
  }

  /**
   * The status of every instance of a service, in the registry's order.
   *
   * @param checks active-check states by instance id (empty when the service has no active check)
   * @param drains drains by instance id
   * @param ejections ejections in force, by instance id
   */
  public static List<InstanceStatus> all(List<ServiceInstance> instances, Map<String, InstanceHealth> checks,
      Map<String, Drain> drains, Map<String, Ejection> ejections) {
    List<InstanceStatus> result = new ArrayList<>(instances.size());
    for (ServiceInstance instance : instances) {
      result.add(of(instance, checks.get(instance.id()), drains.get(instance.id()), ejections.get(instance.id())));
    }
    return List.copyOf(result);
  }

  /** Not drained: the instance may get traffic in panic mode. */
  public boolean eligible() {
    return drain == null;
  }

  /** Whether the registry alone lets it serve. */
  public RegistryHealth registryHealth() {
    return instance.health();
  }
}
