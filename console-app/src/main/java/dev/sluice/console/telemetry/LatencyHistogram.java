package dev.sluice.console.telemetry;

import java.util.Arrays;
import java.util.List;

/**
 * Latency counts per bucket against fixed upper bounds in microseconds, as the admin API sends them:
 * bucket {@code i} counts latencies in {@code (bounds[i-1], bounds[i]]} and the last count is the
 * overflow above the last bound. Histograms with the same bounds merge by adding counts, which is
 * the only honest way to combine percentiles across agents or routes.
 */
public final class LatencyHistogram {
  private static final long[] NO_LONGS = new long[0];
  private static final LatencyHistogram EMPTY = new LatencyHistogram(NO_LONGS, new long[] {0});

  private final long[] boundsMicros;
  private final long[] counts;
  private final long total;

  private LatencyHistogram(long[] boundsMicros, long[] counts) {
    this.boundsMicros = boundsMicros;
    this.counts = counts;
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    this.total = sum;
  }

  /**
   * A histogram over {@code boundsMicros}; {@code counts} has one entry more than the bounds (the
   * overflow bucket). Missing trailing counts are taken as zero; both arrays are copied.
   */
  public static LatencyHistogram of(long[] boundsMicros, long[] counts) {
    if (counts.length > boundsMicros.length + 1) {
      throw new IllegalArgumentException(
          "counts has " + counts.length + " entries for " + boundsMicros.length + " bounds");
    }
    return new LatencyHistogram(
        boundsMicros.clone(), Arrays.copyOf(counts, boundsMicros.length + 1));
  }

  /**
   * As {@link #of}, but keeps {@code boundsMicros} (one frame's bounds, shared by its thousands of
   * routes and never changed) instead of copying it; {@code counts} is still copied.
   */
  static LatencyHistogram sharing(long[] boundsMicros, long[] counts) {
    if (counts.length > boundsMicros.length + 1) {
      throw new IllegalArgumentException(
          "counts has " + counts.length + " entries for " + boundsMicros.length + " bounds");
    }
    return new LatencyHistogram(boundsMicros, Arrays.copyOf(counts, boundsMicros.length + 1));
  }

  public static LatencyHistogram empty() {
    return EMPTY;
  }

  /** Adds counts bucket by bucket; an empty histogram merges with anything. */
  public LatencyHistogram merge(LatencyHistogram other) {
    if (other.total == 0 && other.boundsMicros.length == 0) {
      return this;
    }
    if (total == 0 && boundsMicros.length == 0) {
      return other;
    }
    if (!Arrays.equals(boundsMicros, other.boundsMicros)) {
      throw new IllegalArgumentException("histograms with different bucket bounds cannot merge");
    }
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new LatencyHistogram(boundsMicros, sum);
  }

  /** True when {@link #merge} accepts {@code other}: same bounds, or either one empty. */
  public boolean mergesWith(LatencyHistogram other) {
    return (total == 0 && boundsMicros.length == 0)
        || (other.total == 0 && other.boundsMicros.length == 0)
        || Arrays.equals(boundsMicros, other.boundsMicros);
  }

  public static LatencyHistogram mergeAll(List<LatencyHistogram> histograms) {
    LatencyHistogram merged = EMPTY;
    for (LatencyHistogram h : histograms) {
      merged = merged.merge(h);
    }
    return merged;
  }

  public long total() {
    return total;
  }

  /**
   * The upper bound of the bucket holding the {@code quantile} (0–1] latency, or -1 when the
   * histogram is empty. A quantile in the overflow bucket reports the last bound (a floor, not a
   * value): the console shows it as "&gt; bound".
   */
  public long percentileMicros(double quantile) {
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(quantile * total);
    if (rank < 1) {
      rank = 1;
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i < boundsMicros.length ? boundsMicros[i] : boundsMicros[boundsMicros.length - 1];
      }
    }
    return boundsMicros[boundsMicros.length - 1];
  }

  /** Number of buckets including the overflow bucket. */
  public int bucketCount() {
    return counts.length;
  }

  public long count(int bucket) {
    return counts[bucket];
  }

  /** Upper bound of {@code bucket}, or -1 for the overflow bucket. */
  public long upperBoundMicros(int bucket) {
    return bucket < boundsMicros.length ? boundsMicros[bucket] : -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram h
        && Arrays.equals(boundsMicros, h.boundsMicros)
        && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(boundsMicros) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + Arrays.toString(counts);
  }
}
