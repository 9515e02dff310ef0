package dev.sluice.agent.resilience;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count-based sliding window of call outcomes: a ring of the last {@code size} outcomes and their
 * totals, updated without locks.
 *
 * <p>The three totals (calls, failed, slow) live in one {@code long} as 21-bit signed fields, so one
 * {@code addAndGet} updates them together and a reader always sees a consistent triple. Each record
 * swaps its slot and adds the difference between the new and the old outcome; a racing pair of
 * records may leave a field briefly negative, which the signed decoding survives (the sum of all
 * deltas always equals the ring's contents once the racing records are done).
 */
final class OutcomeWindow {
  private static final int PRESENT = 1;
  private static final int FAILED = 2;
  private static final int SLOW = 4;
  private static final int FIELD_BITS = 21;
  private static final long FAILED_UNIT = 1L << FIELD_BITS;
  private static final long SLOW_UNIT = 1L << (2 * FIELD_BITS);

  private final int size;
  private final AtomicIntegerArray slots;
  private final AtomicLong cursor = new AtomicLong();
  private final AtomicLong totals = new AtomicLong();

  OutcomeWindow(int size) {
    if (size < 1 || size >= (1 << (FIELD_BITS - 1))) {
      throw new IllegalArgumentException("window size out of range: " + size);
    }
    this.size = size;
    this.slots = new AtomicIntegerArray(size);
  }

  int size() {
    return size;
  }

  /** Records one outcome, evicting the oldest when the ring is full; returns the packed totals after. */
  long record(boolean failed, boolean slow) {
    int outcome = PRESENT | (failed ? FAILED : 0) | (slow ? SLOW : 0);
    int slot = (int) Long.remainderUnsigned(cursor.getAndIncrement(), size);
    int old = slots.getAndSet(slot, outcome);
    return totals.addAndGet(weight(outcome) - weight(old));
  }

  long totals() {
    return totals.get();
  }

  private static long weight(int outcome) {
    if (outcome == 0) {
      return 0;
    }
    return 1 + ((outcome & FAILED) != 0 ? FAILED_UNIT : 0) + ((outcome & SLOW) != 0 ? SLOW_UNIT : 0);
  }

  static int calls(long totals) {
    return signExtend(totals);
  }

  static int failed(long totals) {
    return signExtend((totals - calls(totals)) >> FIELD_BITS);
  }

  static int slow(long totals) {
    long upper = (totals - calls(totals)) >> FIELD_BITS;
    return (int) ((upper - signExtend(upper)) >> FIELD_BITS);
  }

  private static int signExtend(long value) {
    return (int) ((value << (64 - FIELD_BITS)) >> (64 - FIELD_BITS));
  }

  /** Recounts the ring slot by slot (tests only): {calls, failed, slow}. */
  int[] recount() {
    int[] counts = new int[3];
    for (int i = 0; i < size; i++) {
      int outcome = slots.get(i);
      if (outcome != 0) {
        counts[0]++;
        counts[1] += (outcome & FAILED) != 0 ? 1 : 0;
        counts[2] += (outcome & SLOW) != 0 ? 1 : 0;
      }
    }
    return counts;
  }
}
