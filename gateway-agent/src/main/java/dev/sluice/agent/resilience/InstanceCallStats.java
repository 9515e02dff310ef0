package dev.sluice.agent.resilience;

import java.util.concurrent.atomic.LongAdder;

/**
 * Call counters of one instance behind a {@link CircuitBreaker}, since the instance was first seen.
 *
 * <p>Get it once per instance from {@link CircuitBreaker#instance(String)} and pass it with every
 * outcome; the breaker's window is per service, these counters only show where the calls went.
 */
public final class InstanceCallStats {
  private final String instanceId;
  private final LongAdder calls = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder slow = new LongAdder();

  InstanceCallStats(String instanceId) {
    this.instanceId = instanceId;
  }

  public String instanceId() {
    return instanceId;
  }

  void record(boolean isFailure, boolean isSlow) {
    calls.increment();
    if (isFailure) {
      failed.increment();
    }
    if (isSlow) {
      slow.increment();
    }
  }

  /** The counters now. */
  public Snapshot snapshot() {
    return new Snapshot(instanceId, calls.sum(), failed.sum(), slow.sum());
  }

  /** One instance's counters at one moment. */
  public record Snapshot(String instanceId, long calls, long failedCalls, long slowCalls) {}
}
