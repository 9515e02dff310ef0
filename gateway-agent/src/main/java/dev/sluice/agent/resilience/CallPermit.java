package dev.sluice.agent.resilience;

/**
 * The answer of {@link CircuitBreaker#tryAcquire()}: permission to make one call, or a refusal with
 * a hint for the {@code Retry-After} header.
 *
 * <p>A permitted call must be finished with exactly one of {@code onSuccess}, {@code onFailure} or
 * {@code release}, passing this permit back: that is how the breaker knows which state let the call
 * through and counts half-open probes exactly. Permits are shared objects; never compare them.
 */
public final class CallPermit {
  /** Let through by an override while the computed state would refuse; counts only per instance. */
  static final CallPermit UNTRACKED = new CallPermit(true, 0L, -1L, false);

  private final boolean permitted;
  private final long retryAfterNanos;
  final long generation;
  final boolean probe;

  CallPermit(boolean permitted, long retryAfterNanos, long generation, boolean probe) {
    this.permitted = permitted;
    this.retryAfterNanos = retryAfterNanos;
    this.generation = generation;
    this.probe = probe;
  }

  static CallPermit refused(long retryAfterNanos) {
    return new CallPermit(false, Math.max(0L, retryAfterNanos), -1L, false);
  }

  /** Whether the call may go ahead. */
  public boolean isPermitted() {
    return permitted;
  }

  /** For a refusal: nanoseconds after which a call might be let through again; 0 for a permit. */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /** {@link #retryAfterNanos()} rounded up to whole seconds and at least 1, for {@code Retry-After}. */
  public long retryAfterSeconds() {
    return Math.max(1L, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
  }

  @Override
  public String toString() {
    return permitted ? "CallPermit[permitted]" : "CallPermit[refused, retryAfterNanos=" + retryAfterNanos + "]";
  }
}
