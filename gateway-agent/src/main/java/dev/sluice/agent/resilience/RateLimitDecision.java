package dev.sluice.agent.resilience;

/**
 * The outcome of taking one token, with the numbers the {@code RateLimit-*} and {@code Retry-After}
 * headers need.
 *
 * @param allowed whether the request may pass (a token was taken)
 * @param limit the bucket's capacity, for {@code RateLimit-Limit}
 * @param remaining whole tokens left after this request, for {@code RateLimit-Remaining}
 * @param resetNanos nanoseconds until the bucket is full again, for {@code RateLimit-Reset}
 * @param retryAfterNanos nanoseconds until a token is available; 0 when allowed
 */
public record RateLimitDecision(boolean allowed, int limit, long remaining, long resetNanos, long retryAfterNanos) {

  /** {@code resetNanos} rounded up to whole seconds, as {@code RateLimit-Reset} wants it. */
  public long resetSeconds() {
    return ceilSeconds(resetNanos);
  }

  /** {@code retryAfterNanos} rounded up to whole seconds and at least 1, for {@code Retry-After}. */
  public long retryAfterSeconds() {
    return Math.max(1L, ceilSeconds(retryAfterNanos));
  }

  private static long ceilSeconds(long nanos) {
    return (Math.max(0L, nanos) + 999_999_999L) / 1_000_000_000L;
  }
}
