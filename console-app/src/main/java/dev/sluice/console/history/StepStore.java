package dev.sluice.console.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every route's steps on one resolution grid, stored by column: a ring of step blocks (one per
 * resolution step, as many as the retention holds), each with one primitive array per figure
 * indexed by route slot. Six hours of 10,000 routes cost about 10 bytes a step and route, with no
 * object per step; {@link HistoryStep}s are built only for the route and window a chart asks for.
 * Thread-safe: the loader writes from its thread while the UI thread reads.
 */
final class StepStore {
  private final Map<String, Integer> slots = new HashMap<>();
  private final long resolutionSeconds;
  private final Block[] ring;
  private long newestStep = Long.MIN_VALUE;
  /** Per slot: the live step being summed and its merged bucket counts, for percentiles. */
  private long[] openStep = new long[0];
  private long @Nullable [] openBuckets;
  private long[] bounds = new long[0];

  StepStore(long resolutionSeconds, long retentionSeconds) {
    this.resolutionSeconds = resolutionSeconds;
    this.ring = new Block[capacityFor(resolutionSeconds, retentionSeconds)];
  }

  /** Steps kept for {@code retentionSeconds}, plus the one being filled and one of slack. */
  static int capacityFor(long resolutionSeconds, long retentionSeconds) {
    return (int) Math.max(2, retentionSeconds / resolutionSeconds + 2);
  }

  long resolutionSeconds() {
    return resolutionSeconds;
  }

  /** Steps the ring holds at most; older ones are overwritten. */
  int capacity() {
    return ring.length;
  }

  synchronized int slot(String routeId) {
    Integer s = slots.get(routeId);
    if (s != null) {
      return s;
    }
    int slot = slots.size();
    slots.put(routeId, slot);
    if (slot >= openStep.length) {
      int grown = Math.max(16, openStep.length * 2);
      int before = openStep.length;
      openStep = Arrays.copyOf(openStep, grown);
      Arrays.fill(openStep, before, grown, Long.MIN_VALUE);
      if (openBuckets != null) {
        openBuckets = Arrays.copyOf(openBuckets, grown * (bounds.length + 1));
      }
    }
    return slot;
  }

  synchronized @Nullable Integer existingSlot(String routeId) {
    return slots.get(routeId);
  }

  /**
   * Adds one live frame's figures for the interval starting at {@code startEpochSecond}; its
   * percentiles are recomputed from the step's merged buckets when {@code buckets} has counts.
   * A step the agent's history already holds is left alone.
   */
  synchronized void addLive(int slot, long startEpochSecond, long requests, long serverErrors,
      long rateLimited, long[] frameBounds, long @Nullable [] buckets, long p50Micros,
      long p99Micros) {
    long step = Math.floorDiv(startEpochSecond, resolutionSeconds);
    Block block = writable(step);
    if (block == null || block.fromHistory(slot)) {
      return;
    }
    boolean before = block.present(slot);
    if (openStep[slot] != step) {
      openStep[slot] = step;
      clearOpen(slot);
    }
    long total = 0;
    if (buckets != null) {
      for (long c : buckets) {
        total += c;
      }
    }
    if (total > 0 && ensureBounds(frameBounds) && buckets.length <= bounds.length + 1) {
      long[] open = openBuckets;
      int base = slot * (bounds.length + 1);
      for (int i = 0; i < buckets.length; i++) {
        open[base + i] += buckets[i];
      }
    }
    long sumRequests = requests + (before ? block.requests.get(slot) : 0);
    long p50 = p50Micros;
    long p99 = p99Micros;
    long openTotal = openTotal(slot);
    if (openTotal > 0) {
      p50 = openPercentile(slot, openTotal, 0.50);
      p99 = openPercentile(slot, openTotal, 0.99);
    } else if (requests == 0 && before) {
      p50 = block.p50[slot];
      p99 = block.p99[slot];
    }
    block.put(slot, sumRequests, serverErrors + (before ? block.errors.get(slot) : 0),
        rateLimited + (before ? block.limited.get(slot) : 0),
        sumRequests == 0 ? -1 : p50, sumRequests == 0 ? -1 : p99, false);
  }

  /** Puts one of the agent's complete steps, replacing whatever live frames summed for it. */
  synchronized void addHistory(int slot, long startEpochSecond, long requests, long serverErrors,
      long rateLimited, long p50Micros, long p99Micros) {
    long step = Math.floorDiv(startEpochSecond, resolutionSeconds);
    Block block = writable(step);
    if (block == null) {
      return;
    }
    block.put(slot, requests, serverErrors, rateLimited, p50Micros, p99Micros, true);
    if (openStep[slot] == step) {
      openStep[slot] = Long.MIN_VALUE;
      clearOpen(slot);
    }
  }

  /** Forgets steps that started before {@code epochSecond}. */
  synchronized void dropBefore(long epochSecond) {
    long first = Math.floorDiv(epochSecond + resolutionSeconds - 1, resolutionSeconds);
    for (int i = 0; i < ring.length; i++) {
      Block b = ring[i];
      if (b != null && b.step < first) {
        ring[i] = null;
      }
    }
  }

  /** The route's steps starting in [from, to), oldest first. */
  synchronized List<HistoryStep> between(String routeId, long fromEpochSecond, long toEpochSecond) {
    Integer slot = slots.get(routeId);
    if (slot == null || toEpochSecond <= fromEpochSecond || newestStep == Long.MIN_VALUE) {
      return List.of();
    }
    long first = Math.max(Math.floorDiv(fromEpochSecond + resolutionSeconds - 1, resolutionSeconds),
        newestStep - ring.length + 1);
    long last = Math.min(Math.floorDiv(toEpochSecond - 1, resolutionSeconds), newestStep);
    List<HistoryStep> out = new ArrayList<>();
    for (long step = first; step <= last; step++) {
      Block b = ring[index(step)];
      if (b != null && b.step == step && b.present(slot)) {
        out.add(b.read(slot, step * resolutionSeconds));
      }
    }
    return out;
  }

  synchronized int size(String routeId) {
    Integer slot = slots.get(routeId);
    if (slot == null) {
      return 0;
    }
    int n = 0;
    for (Block b : ring) {
      n += b != null && b.present(slot) ? 1 : 0;
    }
    return n;
  }

  /** Start of the oldest step of {@code routeId} (of any route when null), or -1 when empty. */
  synchronized long oldestEpochSecond(@Nullable String routeId) {
    Integer slot = routeId == null ? null : slots.get(routeId);
    if (routeId != null && slot == null) {
      return -1;
    }
    long oldest = Long.MAX_VALUE;
    for (Block b : ring) {
      if (b != null && b.step < oldest && (slot == null ? b.any() : b.present(slot))) {
        oldest = b.step;
      }
    }
    return oldest == Long.MAX_VALUE ? -1 : oldest * resolutionSeconds;
  }

  /** Routes with at least one step. */
  synchronized int routesWithSteps() {
    int n = 0;
    for (int slot = 0; slot < slots.size(); slot++) {
      for (Block b : ring) {
        if (b != null && b.present(slot)) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  private int index(long step) {
    return (int) Math.floorMod(step, (long) ring.length);
  }

  /** The block for {@code step}, recycled from the step it replaces; null when it is too old. */
  private @Nullable Block writable(long step) {
    if (newestStep != Long.MIN_VALUE && step <= newestStep - ring.length) {
      return null;
    }
    int at = index(step);
    Block b = ring[at];
    if (b == null) {
      b = new Block(step, Math.max(16, slots.size()));
      ring[at] = b;
    } else if (b.step != step) {
      b.reset(step, slots.size());
    }
    b.fit(slots.size());
    newestStep = Math.max(newestStep, step);
    return b;
  }

  private boolean ensureBounds(long[] frameBounds) {
    if (openBuckets != null && Arrays.equals(bounds, frameBounds)) {
      return true;
    }
    bounds = frameBounds.clone();
    openBuckets = new long[openStep.length * (bounds.length + 1)];
    return true;
  }

  private void clearOpen(int slot) {
    long[] open = openBuckets;
    if (open != null) {
      int width = bounds.length + 1;
      Arrays.fill(open, slot * width, (slot + 1) * width, 0);
    }
  }

  private long openTotal(int slot) {
    long[] open = openBuckets;
    if (open == null) {
      return 0;
    }
    int width = bounds.length + 1;
    long total = 0;
    for (int i = slot * width; i < (slot + 1) * width; i++) {
      total += open[i];
    }
    return total;
  }

  /** As {@code LatencyHistogram.percentileMicros}: the upper bound of the bucket holding the rank. */
  private long openPercentile(int slot, long total, double quantile) {
    long[] open = openBuckets;
    int width = bounds.length + 1;
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < width; i++) {
      seen += open[slot * width + i];
      if (seen >= rank) {
        return i < bounds.length ? bounds[i] : bounds[bounds.length - 1];
      }
    }
    return bounds[bounds.length - 1];
  }

  /** One resolution step of every route: a column per figure, indexed by route slot. */
  private static final class Block {
    long step;
    final Counts requests = new Counts();
    final Counts errors = new Counts();
    final Counts limited = new Counts();
    int[] p50;
    int[] p99;
    long[] present;
    long[] history;

    Block(long step, int width) {
      this.step = step;
      p50 = new int[width];
      p99 = new int[width];
      present = new long[(width + 63) >>> 6];
      history = new long[(width + 63) >>> 6];
      requests.fit(width);
    }

    void reset(long nextStep, int width) {
      step = nextStep;
      requests.clear();
      errors.clear();
      limited.clear();
      Arrays.fill(present, 0);
      Arrays.fill(history, 0);
      fit(width);
    }

    void fit(int width) {
      if (width > p50.length) {
        int grown = Math.max(width, p50.length + p50.length / 2);
        p50 = Arrays.copyOf(p50, grown);
        p99 = Arrays.copyOf(p99, grown);
        present = Arrays.copyOf(present, (grown + 63) >>> 6);
        history = Arrays.copyOf(history, (grown + 63) >>> 6);
        requests.fit(grown);
      }
    }

    boolean present(int slot) {
      int word = slot >>> 6;
      return word < present.length && (present[word] & (1L << slot)) != 0;
    }

    boolean fromHistory(int slot) {
      int word = slot >>> 6;
      return word < history.length && (history[word] & (1L << slot)) != 0;
    }

    boolean any() {
      for (long w : present) {
        if (w != 0) {
          return true;
        }
      }
      return false;
    }

    void put(int slot, long req, long err, long lim, long fifty, long ninetyNine, boolean agent) {
      requests.set(slot, req, p50.length);
      errors.set(slot, err, p50.length);
      limited.set(slot, lim, p50.length);
      p50[slot] = clamp(fifty);
      p99[slot] = clamp(ninetyNine);
      present[slot >>> 6] |= 1L << slot;
      if (agent) {
        history[slot >>> 6] |= 1L << slot;
      } else {
        history[slot >>> 6] &= ~(1L << slot);
      }
    }

    HistoryStep read(int slot, long startEpochSecond) {
      return new HistoryStep(startEpochSecond, requests.get(slot), errors.get(slot),
          limited.get(slot), p50[slot], p99[slot], fromHistory(slot));
    }

    /** Latencies above {@code Integer.MAX_VALUE} µs (35 minutes) are kept as that ceiling. */
    private static int clamp(long micros) {
      return (int) Math.max(-1, Math.min(Integer.MAX_VALUE, micros));
    }
  }

  /**
   * A column of non-negative counts that costs nothing while all are zero, two bytes a count while
   * all fit in 16 bits, and four once one does not (counts above {@code Integer.MAX_VALUE} are kept
   * as that ceiling).
   */
  static final class Counts {
    private char @Nullable [] narrow;
    private int @Nullable [] wide;
    private int width;

    void fit(int w) {
      width = Math.max(width, w);
      if (narrow != null && narrow.length < width) {
        narrow = Arrays.copyOf(narrow, width);
      }
      if (wide != null && wide.length < width) {
        wide = Arrays.copyOf(wide, width);
      }
    }

    void clear() {
      if (narrow != null) {
        Arrays.fill(narrow, (char) 0);
      }
      if (wide != null) {
        Arrays.fill(wide, 0);
      }
    }

    void set(int slot, long value, int w) {
      fit(w);
      long v = Math.max(0, Math.min(Integer.MAX_VALUE, value));
      int[] ints = wide;
      if (ints != null) {
        ints[slot] = (int) v;
        return;
      }
      if (v > Character.MAX_VALUE) {
        int[] widened = new int[width];
        char[] chars = narrow;
        if (chars != null) {
          for (int i = 0; i < chars.length; i++) {
            widened[i] = chars[i];
          }
        }
        widened[slot] = (int) v;
        wide = widened;
        narrow = null;
        return;
      }
      char[] chars = narrow;
      if (chars == null) {
        if (v == 0) {
          return;
        }
        chars = new char[width];
        narrow = chars;
      }
      chars[slot] = (char) v;
    }

    long get(int slot) {
      int[] ints = wide;
      if (ints != null) {
        return slot < ints.length ? ints[slot] : 0;
      }
      char[] chars = narrow;
      return chars != null && slot < chars.length ? chars[slot] : 0;
    }
  }
}
