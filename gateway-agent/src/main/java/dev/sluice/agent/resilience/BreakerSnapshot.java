package dev.sluice.agent.resilience;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CircuitBreaker} says at one moment: the state traffic computes and the operator's
 * override, side by side, with the window's numbers.
 *
 * <p>Times are on the breaker's {@link Ticker}; the admin layer converts them to wall-clock time.
 *
 * @param computedState the state traffic gives, tracked even while an override holds
 * @param override the operator's override, {@link BreakerOverride#NONE} when traffic decides
 * @param overrideDeadlineNanos when the override ends by itself; null when it holds until reset or
 *     when there is no override
 * @param failureRate percent of failed calls in the window, or -1 while the window holds fewer calls
 *     than needed to evaluate (minimum calls when closed, all probes when half-open)
 * @param slowCallRate percent of slow calls in the window, or -1 as for {@code failureRate}
 * @param callsInWindow calls in the window (while open: the window that opened the breaker)
 * @param failedCallsInWindow failed calls among them
 * @param slowCallsInWindow slow calls among them
 * @param notPermittedCalls calls refused since the breaker was created
 * @param stateSinceNanos when the computed state last changed
 * @param instances per-instance counters, sorted by instance id
 */
public record BreakerSnapshot(
    BreakerState computedState,
    BreakerOverride override,
    @Nullable Long overrideDeadlineNanos,
    double failureRate,
    double slowCallRate,
    int callsInWindow,
    int failedCallsInWindow,
    int slowCallsInWindow,
    long notPermittedCalls,
    long stateSinceNanos,
    List<InstanceCallStats.Snapshot> instances) {

  public BreakerSnapshot {
    instances = List.copyOf(instances);
  }

  /** The state callers experience: the override when there is one, else the computed state. */
  public String effectiveState() {
    return switch (override) {
      case NONE -> computedState.name();
      case FORCED_OPEN, FORCED_CLOSED -> override.name();
    };
  }

  /** One line for operators, e.g. {@code "forced open; would be closed"} or {@code "half-open"}. */
  public String describe() {
    String computed = words(computedState);
    return switch (override) {
      case NONE -> computed;
      case FORCED_OPEN -> "forced open; would be " + computed;
      case FORCED_CLOSED -> "forced closed; would be " + computed;
    };
  }

  private static String words(BreakerState state) {
    return switch (state) {
      case CLOSED -> "closed";
      case OPEN -> "open";
      case HALF_OPEN -> "half-open";
    };
  }
}
