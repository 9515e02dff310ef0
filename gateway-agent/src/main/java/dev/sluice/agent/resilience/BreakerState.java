package dev.sluice.agent.resilience;

/** The state a {@link CircuitBreaker} computes from traffic, tracked even while an override holds. */
public enum BreakerState {
  /** Calls flow; outcomes fill the sliding window. */
  CLOSED,
  /** Calls are refused until the open duration has elapsed. */
  OPEN,
  /** A fixed number of probe calls flow; their outcomes decide between CLOSED and OPEN. */
  HALF_OPEN
}
