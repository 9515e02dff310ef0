package dev.sluice.agent.resilience;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One {@link TokenBucket} per key (client IP, header value, JWT claim value), all with the same
 * settings, in memory bounded by a fixed number of keys however many distinct keys arrive.
 *
 * <h2>Memory policy</h2>
 *
 * <p>Buckets live in a fixed table of {@link #capacity()} slots (at least {@code maxKeys}, rounded
 * up), arranged as sets of {@value #WAYS} slots; a key can only live in the set its hash selects.
 * When a new key arrives and its set is full, it takes the slot of the set's bucket that is closest
 * to full. A full bucket carries no information (a new bucket starts full), so evicting it changes
 * nothing; evicting a partly drained one lets that key start again with a full bucket, which is the
 * price of bounded memory and only happens when more than {@value #WAYS} keys in one set are active
 * at once. Idle buckets refill and so become the first to go; {@link #evictIdle()} also drops them
 * outright to free their key strings. The caller bounds the length of keys (the proxy caps header
 * sizes).
 *
 * <p>Thread-safe and lock-free. A request for a known key allocates only its decision; two threads
 * seeing a new key at the same moment may create two buckets for it, so that key may get one extra
 * burst once.
 */
public final class KeyedRateLimiter {
  static final int WAYS = 8;

  private final RateLimitSettings settings;
  private final Ticker ticker;
  private final AtomicReferenceArray<Entry> slots;
  private final int setMask;
  private final int seed = ThreadLocalRandom.current().nextInt();

  /**
   * @param maxKeys keys to keep at most (before rounding up to whole sets of {@value #WAYS})
   * @throws IllegalArgumentException if the settings are invalid or {@code maxKeys} is below 1
   */
  public KeyedRateLimiter(RateLimitSettings settings, int maxKeys, Ticker ticker) {
    RateLimitSettings.requireValid(settings);
    if (maxKeys < 1 || maxKeys > (1 << 26)) {
      throw new IllegalArgumentException("maxKeys must be between 1 and 67108864, was " + maxKeys);
    }
    this.settings = settings;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    int sets = Integer.highestOneBit(Math.max(1, (maxKeys + WAYS - 1) / WAYS));
    if (sets * WAYS < maxKeys) {
      sets <<= 1;
    }
    this.setMask = sets - 1;
    this.slots = new AtomicReferenceArray<>(sets * WAYS);
  }

  public RateLimitSettings settings() {
    return settings;
  }

  /** Slots in the table: the most keys held at once. */
  public int capacity() {
    return slots.length();
  }

  /** Takes one token from {@code key}'s bucket, creating the bucket (full) if the key is new. */
  public RateLimitDecision tryAcquire(String key) {
    long now = ticker.nanos();
    int base = setOf(key) * WAYS;
    while (true) {
      Entry victim = null;
      int victimSlot = -1;
      long victimDebt = Long.MAX_VALUE;
      for (int i = base; i < base + WAYS; i++) {
        Entry entry = slots.get(i);
        if (entry == null) {
          if (victimSlot < 0 || victim != null) {
            victim = null;
            victimSlot = i;
            victimDebt = -1;
          }
          continue;
        }
        if (entry.key.equals(key)) {
          return entry.bucket.tryAcquire(now);
        }
        long debt = entry.bucket.nanosUntilFull(now);
        if (debt < victimDebt) {
          victim = entry;
          victimSlot = i;
          victimDebt = debt;
        }
      }
      Entry fresh = new Entry(key, new TokenBucket(settings, ticker, now));
      if (slots.compareAndSet(victimSlot, victim, fresh)) {
        return fresh.bucket.tryAcquire(now);
      }
    }
  }

  /** Keys held now (scans the table; for metrics and tests, not per request). */
  public int size() {
    int size = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        size++;
      }
    }
    return size;
  }

  /** Drops every bucket that has refilled completely; returns how many were dropped. */
  public int evictIdle() {
    long now = ticker.nanos();
    int dropped = 0;
    for (int i = 0; i < slots.length(); i++) {
      Entry entry = slots.get(i);
      if (entry != null && entry.bucket.nanosUntilFull(now) == 0 && slots.compareAndSet(i, entry, null)) {
        dropped++;
      }
    }
    return dropped;
  }

  private int setOf(String key) {
    int h = key.hashCode() ^ seed;
    h *= 0x9E3779B9;
    h ^= h >>> 16;
    return h & setMask;
  }

  private record Entry(String key, TokenBucket bucket) {}
}
