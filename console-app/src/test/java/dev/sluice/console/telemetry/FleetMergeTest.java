package dev.sluice.console.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetMergeTest {
  private static final long[] BOUNDS = {1_000, 2_000, 5_000, 10_000, 50_000};

  @Test
  void fleetPercentilesComeFromMergedBucketsNotAveragedPercentiles() {
    // Agent A: 90 fast calls (≤1 ms) and 10 at ≤50 ms. Agent B: 10 calls, all ≤10 ms.
    RouteSample a = sample(new long[] {90, 0, 0, 0, 10, 0}, 2);
    RouteSample b = sample(new long[] {0, 0, 0, 10, 0, 0}, 0);

    RouteSample fleet = FleetMerge.merge("users-get", List.of(a, b));

    // Merged: 110 calls. p50 rank 55 → bucket ≤1 ms. p99 rank ceil(108.9)=109 → ≤50 ms bucket
    // (90 + 10 = 100 up to 10 ms, then 10 more up to 50 ms).
    assertThat(fleet.requests()).isEqualTo(110);
    assertThat(fleet.p50Micros()).isEqualTo(1_000);
    assertThat(fleet.p99Micros()).isEqualTo(50_000);
    assertThat(fleet.histogram().count(3)).isEqualTo(10);
    // Averaging the agents' p99s would say (50 ms + 10 ms) / 2 = 30 ms: a latency nobody saw.
    assertThat(fleet.p99Micros()).isNotEqualTo((a.p99Micros() + b.p99Micros()) / 2);
  }

  @Test
  void fleetErrorRateIsSummedErrorsOverSummedRequestsAndStaysWithinHundred() {
    RouteSample a = sample(new long[] {100, 0, 0, 0, 0, 0}, 50);
    RouteSample b = sample(new long[] {0, 0, 0, 0, 0, 300}, 300);

    RouteSample fleet = FleetMerge.merge("r", List.of(a, b));

    assertThat(fleet.errorPercent()).isEqualTo(100.0 * 350 / 400);
    assertThat(fleet.requestsPerSecond()).isEqualTo(400.0);
  }

  @Test
  void overflowBucketReportsTheLastBoundAsAFloor() {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, new long[] {1, 0, 0, 0, 0, 99});

    assertThat(h.percentileMicros(0.99)).isEqualTo(50_000);
    assertThat(h.percentileMicros(0.01)).isEqualTo(1_000);
  }

  @Test
  void emptyHistogramHasNoPercentileAndMergesWithAnything() {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, new long[] {0, 3, 0, 0, 0, 0});

    assertThat(LatencyHistogram.empty().percentileMicros(0.5)).isEqualTo(-1);
    assertThat(LatencyHistogram.empty().merge(h)).isEqualTo(h);
    assertThat(h.merge(LatencyHistogram.empty())).isEqualTo(h);
  }

  @Test
  void refusesToMergeHistogramsWithDifferentBounds() {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, new long[] {1});
    LatencyHistogram other = LatencyHistogram.of(new long[] {1, 2}, new long[] {1});

    assertThatThrownBy(() -> h.merge(other)).isInstanceOf(IllegalArgumentException.class);
  }

  private static RouteSample sample(long[] counts, long errors) {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, counts);
    return new RouteSample("users-get", h.total(), errors, 0, 1.0, h, h.percentileMicros(0.5),
        h.percentileMicros(0.99));
  }
}
