package dev.sluice.agent.resilience;

/** An operator's override of a {@link CircuitBreaker}, kept apart from the computed state. */
public enum BreakerOverride {
  /** Traffic decides. */
  NONE,
  /** Every call is refused, whatever the computed state. */
  FORCED_OPEN,
  /** Every call is let through, whatever the computed state. */
  FORCED_CLOSED
}
