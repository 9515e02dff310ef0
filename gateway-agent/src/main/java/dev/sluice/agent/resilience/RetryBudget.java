package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries at a share of recent requests, so retries cannot amplify an outage (Finagle's
 * {@code RetryBudget} semantics).
 *
 * <p>Over the last {@code window} (kept as {@value #BUCKETS} buckets of a tenth of the window; the
 * oldest bucket drops out whole), a retry is allowed when, counting it, {@code retries ≤
 * minRetriesPerSecond × windowSeconds + percentOfRequests / 100 × requests}. So with the defaults a
 * service with no traffic may still make 30 retries per 10 s, and a busy one whose every call fails
 * makes at most 1.2 attempts per request on average once the reserve is spent. Call {@link
 * #onRequest()} once per original request (not per attempt) and {@link #tryAcquireRetry()} before each
 * retry. Thread-safe, lock-free and allocation-free; a retry is counted before it is checked and
 * handed back when refused, so racing threads never overdraw.
 */
public final class RetryBudget {
  static final int BUCKETS = 10;

  private final RetryBudgetSettings settings;
  private final Ticker ticker;
  private final long origin;
  private final long bucketNanos;
  private final double reserve;
  private final double share;
  private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

  /** @throws IllegalArgumentException if {@code settings.validate()} reports violations */
  public RetryBudget(RetryBudgetSettings settings, Ticker ticker) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid retry budget: " + violations);
    }
    this.settings = settings;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.origin = ticker.nanos();
    this.bucketNanos = settings.window().toNanos() / BUCKETS;
    this.reserve = settings.minRetriesPerSecond() * (settings.window().toNanos() / 1e9);
    this.share = settings.percentOfRequests() / 100.0;
  }

  public RetryBudgetSettings settings() {
    return settings;
  }

  /** Counts one original request; it earns its share of a retry. */
  public void onRequest() {
    add(requests, tick(ticker.nanos()));
  }

  /** Takes one retry from the budget; false means: do not retry, answer with the failure. */
  public boolean tryAcquireRetry() {
    long tick = tick(ticker.nanos());
    add(retries, tick);
    if (sum(retries, tick) <= allowance(tick)) {
      return true;
    }
    subtract(retries, tick);
    return false;
  }

  /** Retries that would be allowed now, rounded down (for telemetry). */
  public long available() {
    long tick = tick(ticker.nanos());
    return Math.max(0L, (long) Math.floor(allowance(tick)) - sum(retries, tick));
  }

  /** Original requests counted in the window now. */
  public long requestsInWindow() {
    return sum(requests, tick(ticker.nanos()));
  }

  /** Retries counted in the window now. */
  public long retriesInWindow() {
    return sum(retries, tick(ticker.nanos()));
  }

  private double allowance(long tick) {
    return reserve + share * sum(requests, tick);
  }

  private long tick(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  /** Each bucket: the low 32 bits of its tick in the high half, its count in the low half. */
  private static void add(AtomicLongArray buckets, long tick) {
    int slot = (int) Math.floorMod(tick, (long) BUCKETS);
    int stamp = (int) tick;
    while (true) {
      long value = buckets.get(slot);
      int current = (int) (value >>> 32);
      long next = current - stamp >= 0 ? value + 1 : ((long) stamp << 32) | 1L;
      if (buckets.compareAndSet(slot, value, next)) {
        return;
      }
    }
  }

  private static void subtract(AtomicLongArray buckets, long tick) {
    int slot = (int) Math.floorMod(tick, (long) BUCKETS);
    int stamp = (int) tick;
    while (true) {
      long value = buckets.get(slot);
      if ((int) (value >>> 32) != stamp || (value & 0xFFFF_FFFFL) == 0) {
        return;
      }
      if (buckets.compareAndSet(slot, value, value - 1)) {
        return;
      }
    }
  }

  private static long sum(AtomicLongArray buckets, long tick) {
    int stamp = (int) tick;
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long value = buckets.get(i);
      int age = stamp - (int) (value >>> 32);
      if (age >= 0 && age < BUCKETS) {
        total += value & 0xFFFF_FFFFL;
      }
    }
    return total;
  }
}
