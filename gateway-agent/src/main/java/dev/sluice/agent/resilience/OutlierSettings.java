package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of passive outlier detection for one service, with Envoy's defaults.
 *
 * @param consecutiveFailures consecutive failures (5xx or connect failure) that eject an instance (1–1,000)
 * @param baseEjectionTime ejection time of a first ejection; the n-th ejection lasts n times this
 * @param maxEjectionTime longest ejection, at least {@code baseEjectionTime}
 * @param maxEjectedPercent never eject more than this share (0–100) of the instances, though at least
 *     one instance may always be ejected when above 0; 0 switches ejection off
 * @param panicThresholdPercent below this share (0–100) of healthy instances traffic goes to all
 *     instances; 0 switches panic mode off (see {@link PanicThreshold})
 */
public record OutlierSettings(
    int consecutiveFailures,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    double maxEjectedPercent,
    double panicThresholdPercent) {

  /** 5 consecutive failures, 30 s base, 300 s max, at most 10 % ejected, panic below 50 %. */
  public static final OutlierSettings DEFAULTS =
      new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10.0, 50.0);

  /** Every problem with these settings; empty when usable. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (consecutiveFailures < 1 || consecutiveFailures > 1_000) {
      violations.add(new Violation("consecutiveFailures", "must be between 1 and 1000, was " + consecutiveFailures));
    }
    BreakerSettings.checkPositive(violations, "baseEjectionTime", baseEjectionTime);
    BreakerSettings.checkPositive(violations, "maxEjectionTime", maxEjectionTime);
    if (baseEjectionTime != null && maxEjectionTime != null && maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      violations.add(
          new Violation("maxEjectionTime", "must be at least baseEjectionTime (" + baseEjectionTime + "), was " + maxEjectionTime));
    }
    if (!(maxEjectedPercent >= 0.0 && maxEjectedPercent <= 100.0)) {
      violations.add(new Violation("maxEjectedPercent", "must be between 0 and 100, was " + maxEjectedPercent));
    }
    if (!(panicThresholdPercent >= 0.0 && panicThresholdPercent <= 100.0)) {
      violations.add(new Violation("panicThresholdPercent", "must be between 0 and 100, was " + panicThresholdPercent));
    }
    return List.copyOf(violations);
  }
}
