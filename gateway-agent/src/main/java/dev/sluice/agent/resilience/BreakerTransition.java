package dev.sluice.agent.resilience;

/**
 * A change of a breaker's computed state or of its override, with the cause in words, e.g. {@code
 * "failure rate 62.0% ≥ 50.0%"} or {@code "open duration elapsed"}.
 *
 * <p>When only the override changed, {@code from == to} and {@code override} is the new override.
 *
 * @param from computed state before
 * @param to computed state after
 * @param override the override in force after the change
 * @param cause why, in one line an operator can read
 * @param atNanos when, on the breaker's {@link Ticker}
 */
public record BreakerTransition(
    BreakerState from, BreakerState to, BreakerOverride override, String cause, long atNanos) {

  /** True when the computed state changed, false when only the override did. */
  public boolean computedStateChanged() {
    return from != to;
  }
}
