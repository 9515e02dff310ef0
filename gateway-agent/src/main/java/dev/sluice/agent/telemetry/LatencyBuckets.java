package dev.sluice.agent.telemetry;

import java.util.Arrays;

/**
 * The one set of latency bucket bounds every route and every agent uses: 30 log-spaced upper
 * bounds from 100 µs to 60 s (1 – 1.5 – 2.5 – 5 – 7.5 per decade), plus an overflow bucket. Because
 * the bounds never differ, histograms from any route or agent merge by adding counts. Bucket
 * {@code i} counts latencies in {@code (bound[i-1], bound[i]]}; the last bucket counts those above
 * 60 s.
 */
public final class LatencyBuckets {

  private static final long[] BOUNDS_MICROS = {
    100, 150, 250, 500, 750,
    1_000, 1_500, 2_500, 5_000, 7_500,
    10_000, 15_000, 25_000, 50_000, 75_000,
    100_000, 150_000, 250_000, 500_000, 750_000,
    1_000_000, 1_500_000, 2_500_000, 5_000_000, 7_500_000,
    10_000_000, 15_000_000, 25_000_000, 40_000_000, 60_000_000,
  };

  /** Number of counts in a bucketed histogram: one per bound plus the overflow bucket. */
  public static final int COUNT = BOUNDS_MICROS.length + 1;

  private LatencyBuckets() {}

  /** The upper bounds in microseconds, ascending (a copy). */
  public static long[] boundsMicros() {
    return BOUNDS_MICROS.clone();
  }

  /** The bucket a latency falls in: the first whose bound is at least {@code micros}. */
  public static int bucketOf(long micros) {
    int index = Arrays.binarySearch(BOUNDS_MICROS, micros);
    return index >= 0 ? index : -index - 1;
  }
}
