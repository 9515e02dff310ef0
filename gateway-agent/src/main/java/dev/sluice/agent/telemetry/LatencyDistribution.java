package dev.sluice.agent.telemetry;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * An immutable latency distribution in microseconds at the full resolution of the recording
 * histogram (HdrHistogram, 2 significant digits), kept sparse — only values that occurred — so
 * that intervals merge cheaply for frames and history. Also carries the counts per
 * {@link LatencyBuckets} bucket. Percentiles follow HdrHistogram: the highest value equivalent to
 * the one at the requested rank.
 */
public final class LatencyDistribution {

  public static final LatencyDistribution EMPTY =
      new LatencyDistribution(new long[0], new long[0], new long[LatencyBuckets.COUNT], 0);

  /** Distinct values (highest equivalent of each recorded value), ascending. */
  private final long[] values;
  private final long[] counts;
  private final long[] buckets;
  private final long total;

  private LatencyDistribution(long[] values, long[] counts, long[] buckets, long total) {
    this.values = values;
    this.counts = counts;
    this.buckets = buckets;
    this.total = total;
  }

  /**
   * Copies a histogram's recorded values. A value is put in the bucket of its lowest equivalent
   * value, so only latencies within the histogram's resolution (&lt; 1 %) above a bound can land
   * one bucket too high.
   */
  public static LatencyDistribution of(AbstractHistogram histogram) {
    long total = histogram.getTotalCount();
    if (total == 0) {
      return EMPTY;
    }
    int distinct = 0;
    for (HistogramIterationValue ignored : histogram.recordedValues()) {
      distinct++;
    }
    long[] values = new long[distinct];
    long[] counts = new long[distinct];
    long[] buckets = new long[LatencyBuckets.COUNT];
    int i = 0;
    for (HistogramIterationValue v : histogram.recordedValues()) {
      long value = v.getValueIteratedTo();
      values[i] = value;
      counts[i] = v.getCountAddedInThisIterationStep();
      buckets[LatencyBuckets.bucketOf(histogram.lowestEquivalentValue(value))] += counts[i];
      i++;
    }
    return new LatencyDistribution(values, counts, buckets, total);
  }

  /** The sum of the distributions, as if all their values had been recorded in one. */
  public static LatencyDistribution merge(List<LatencyDistribution> parts) {
    LatencyDistribution merged = EMPTY;
    for (LatencyDistribution part : parts) {
      merged = merged.plus(part);
    }
    return merged;
  }

  /** This distribution plus {@code other}. */
  public LatencyDistribution plus(LatencyDistribution other) {
    if (other.total == 0) {
      return this;
    }
    if (total == 0) {
      return other;
    }
    long[] mergedValues = new long[values.length + other.values.length];
    long[] mergedCounts = new long[mergedValues.length];
    int a = 0;
    int b = 0;
    int n = 0;
    while (a < values.length || b < other.values.length) {
      long next;
      long count;
      if (b == other.values.length || (a < values.length && values[a] < other.values[b])) {
        next = values[a];
        count = counts[a++];
      } else if (a == values.length || other.values[b] < values[a]) {
        next = other.values[b];
        count = other.counts[b++];
      } else {
        next = values[a];
        count = counts[a++] + other.counts[b++];
      }
      mergedValues[n] = next;
      mergedCounts[n++] = count;
    }
    long[] mergedBuckets = buckets.clone();
    for (int i = 0; i < mergedBuckets.length; i++) {
      mergedBuckets[i] += other.buckets[i];
    }
    return new LatencyDistribution(Arrays.copyOf(mergedValues, n), Arrays.copyOf(mergedCounts, n),
        mergedBuckets, total + other.total);
  }

  public long totalCount() {
    return total;
  }

  /** The value at a percentile (0–100), as HdrHistogram's {@code getValueAtPercentile}; 0 if empty. */
  public long valueAtPercentile(double percentile) {
    if (total == 0) {
      return 0;
    }
    double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0), 100);
    long rank = Math.max(1, (long) Math.ceil(requested / 100.0 * total));
    long cumulative = 0;
    for (int i = 0; i < values.length; i++) {
      cumulative += counts[i];
      if (cumulative >= rank) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** The largest value recorded (its highest equivalent), 0 if empty. */
  public long max() {
    return values.length == 0 ? 0 : values[values.length - 1];
  }

  /** Counts per {@link LatencyBuckets} bucket ({@link LatencyBuckets#COUNT} entries, a copy). */
  public long[] bucketCounts() {
    return buckets.clone();
  }

  /** Distinct values held; the memory and merge cost are proportional to it. */
  public int distinctValues() {
    return values.length;
  }
}
