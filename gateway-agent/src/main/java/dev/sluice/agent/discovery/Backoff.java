package dev.sluice.agent.discovery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of {@code
 * min(max, initial × 2^(n-1))}, so registries that failed together do not retry together, and a
 * retry never comes sooner than half the nominal delay.
 */
record Backoff(Duration initial, Duration max) {

  /** The delay before retry number {@code attempt} (1 = the first retry). */
  long delayNanos(int attempt) {
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    int shift = Math.min(Math.max(attempt - 1, 0), 40);
    long nominal = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
    long half = nominal / 2;
    return half + ThreadLocalRandom.current().nextLong(nominal - half + 1);
  }
}
