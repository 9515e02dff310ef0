package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one {@link CircuitBreaker}; immutable, with {@link #DEFAULTS} and a {@link #validate()}
 * that reports every problem at once.
 *
 * @param windowSize number of most recent calls the closed breaker looks at (1–100,000)
 * @param minimumCalls calls needed in the window before rates are evaluated (1–{@code windowSize})
 * @param failureRateThreshold failure rate in percent (0 exclusive – 100) at or above which the breaker
 *     opens
 * @param slowCallRateThreshold slow-call rate in percent (0 exclusive – 100) at or above which the
 *     breaker opens; {@code 100} switches the slow-call rule off
 * @param slowCallDuration a call taking at least this long counts as slow
 * @param openDuration how long the breaker stays open before it lets half-open probes through
 * @param halfOpenCalls probe calls let through while half-open; their outcomes decide (1–1,000)
 */
public record BreakerSettings(
    int windowSize,
    int minimumCalls,
    double failureRateThreshold,
    double slowCallRateThreshold,
    Duration slowCallDuration,
    Duration openDuration,
    int halfOpenCalls) {

  /** Window 100, minimum 20 calls, failure 50 %, slow-call rule off (100 %), slow 5 s, open 30 s, 5 probes. */
  public static final BreakerSettings DEFAULTS =
      new BreakerSettings(100, 20, 50.0, 100.0, Duration.ofSeconds(5), Duration.ofSeconds(30), 5);

  static final int MAX_WINDOW_SIZE = 100_000;
  static final int MAX_HALF_OPEN_CALLS = 1_000;

  /** Whether the slow-call rule can open the breaker (it cannot at a threshold of 100 %). */
  public boolean slowCallRuleEnabled() {
    return slowCallRateThreshold < 100.0;
  }

  public BreakerSettings withWindow(int windowSize, int minimumCalls) {
    return new BreakerSettings(
        windowSize, minimumCalls, failureRateThreshold, slowCallRateThreshold, slowCallDuration,
        openDuration, halfOpenCalls);
  }

  public BreakerSettings withFailureRateThreshold(double percent) {
    return new BreakerSettings(
        windowSize, minimumCalls, percent, slowCallRateThreshold, slowCallDuration, openDuration,
        halfOpenCalls);
  }

  public BreakerSettings withSlowCalls(double ratePercent, Duration duration) {
    return new BreakerSettings(
        windowSize, minimumCalls, failureRateThreshold, ratePercent, duration, openDuration,
        halfOpenCalls);
  }

  public BreakerSettings withOpenDuration(Duration duration) {
    return new BreakerSettings(
        windowSize, minimumCalls, failureRateThreshold, slowCallRateThreshold, slowCallDuration,
        duration, halfOpenCalls);
  }

  public BreakerSettings withHalfOpenCalls(int calls) {
    return new BreakerSettings(
        windowSize, minimumCalls, failureRateThreshold, slowCallRateThreshold, slowCallDuration,
        openDuration, calls);
  }

  /** Every problem with these settings; empty when they are usable. Paths are the component names. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (windowSize < 1 || windowSize > MAX_WINDOW_SIZE) {
      violations.add(new Violation("windowSize", "must be between 1 and " + MAX_WINDOW_SIZE + ", was " + windowSize));
    }
    if (minimumCalls < 1) {
      violations.add(new Violation("minimumCalls", "must be at least 1, was " + minimumCalls));
    } else if (minimumCalls > windowSize && windowSize >= 1) {
      violations.add(
          new Violation(
              "minimumCalls",
              "must not exceed windowSize (" + windowSize + "), was " + minimumCalls
                  + "; the rates could never be evaluated"));
    }
    checkPercent(violations, "failureRateThreshold", failureRateThreshold);
    checkPercent(violations, "slowCallRateThreshold", slowCallRateThreshold);
    checkPositive(violations, "slowCallDuration", slowCallDuration);
    checkPositive(violations, "openDuration", openDuration);
    if (halfOpenCalls < 1 || halfOpenCalls > MAX_HALF_OPEN_CALLS) {
      violations.add(
          new Violation("halfOpenCalls", "must be between 1 and " + MAX_HALF_OPEN_CALLS + ", was " + halfOpenCalls));
    }
    return List.copyOf(violations);
  }

  private static void checkPercent(List<Violation> violations, String path, double value) {
    if (!(value > 0.0 && value <= 100.0)) {
      violations.add(new Violation(path, "must be a percentage above 0 and at most 100, was " + value));
    }
  }

  static void checkPositive(List<Violation> violations, String path, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      violations.add(new Violation(path, "must be a positive duration, was " + value));
    }
  }
}
