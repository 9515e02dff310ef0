package dev.sluice.agent.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A token bucket of {@code burst} tokens refilled at {@code requestsPerSecond}; starts full.
 *
 * <p>Implemented as the equivalent generic cell rate algorithm: the whole state is one {@code long},
 * the time at which the bucket will be full again, updated by compare-and-set. Tokens available at
 * time {@code now} are {@code burst − (fullAt − now) / nanosPerToken}, so refill is exact to the
 * nanosecond of the {@link Ticker} (the only rounding is {@code nanosPerToken} to a whole
 * nanosecond) and no timer or refill thread is needed. Thread-safe and lock-free.
 */
public final class TokenBucket {
  private static final VarHandle FULL_AT;

  static {
    try {
      FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAtNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RateLimitSettings settings;
  private final Ticker ticker;
  private final long nanosPerToken;
  private final long capacityNanos;

  @SuppressWarnings("unused") // accessed through FULL_AT
  private volatile long fullAtNanos;

  /**
   * A full bucket.
   *
   * @throws IllegalArgumentException if {@code settings.validate()} reports violations
   */
  public TokenBucket(RateLimitSettings settings, Ticker ticker) {
    this(RateLimitSettings.requireValid(settings), ticker, ticker.nanos());
  }

  TokenBucket(RateLimitSettings settings, Ticker ticker, long now) {
    this.settings = settings;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.nanosPerToken = settings.nanosPerToken();
    this.capacityNanos = nanosPerToken * settings.burst();
    this.fullAtNanos = now;
  }

  public RateLimitSettings settings() {
    return settings;
  }

  /** Takes one token if there is one. */
  public RateLimitDecision tryAcquire() {
    return tryAcquire(ticker.nanos());
  }

  RateLimitDecision tryAcquire(long now) {
    while (true) {
      long fullAt = (long) FULL_AT.getVolatile(this);
      long start = fullAt - now < 0 ? now : fullAt;
      long next = start + nanosPerToken;
      long debt = next - now;
      if (debt > capacityNanos) {
        long retryAfter = next - capacityNanos - now;
        return new RateLimitDecision(false, settings.burst(), 0L, start - now, retryAfter);
      }
      if (FULL_AT.compareAndSet(this, fullAt, next)) {
        return new RateLimitDecision(true, settings.burst(), (capacityNanos - debt) / nanosPerToken, debt, 0L);
      }
    }
  }

  /** Whole tokens available now, without taking one. */
  public long available() {
    long debt = nanosUntilFull(ticker.nanos());
    return (capacityNanos - debt) / nanosPerToken;
  }

  /** Nanoseconds until the bucket is full; 0 when it is. A full bucket holds no information. */
  long nanosUntilFull(long now) {
    long debt = (long) FULL_AT.getVolatile(this) - now;
    return Math.max(0L, debt);
  }
}
