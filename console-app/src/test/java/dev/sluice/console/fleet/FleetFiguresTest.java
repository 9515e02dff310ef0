package dev.sluice.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import dev.sluice.console.telemetry.StatusCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetFiguresTest {
  /** Buckets: ≤1 ms, ≤2 ms, ≤5 ms, ≤10 ms, ≤50 ms, above. */
  private static final long[] BOUNDS = {1_000, 2_000, 5_000, 10_000, 50_000};

  record Agent(String agentId, String cluster, boolean live, Map<String, RouteSample> latestSamples)
      implements FleetMember {}

  @Test
  void fleetPercentilesComeFromMergedBucketsNotFromAveragedPercentiles() {
    // edge-1: 98 fast requests (≤1 ms) and 2 slow ones (≤50 ms): its p99 is 50 ms.
    // edge-2: 900 requests at ≤2 ms: its p99 is 2 ms.
    // Merged, 1000 requests: rank 990 falls in the ≤2 ms bucket (98 + 900 = 998 ≥ 990), so the
    // fleet p99 is 2 ms — averaging the two p99s would claim 26 ms.
    Agent one = agent("edge-1", "eu", true, sample(new long[] {98, 0, 0, 0, 2, 0}, 5, 1, 4));
    Agent two = agent("edge-2", "eu", true, sample(new long[] {0, 900, 0, 0, 0, 0}, 0, 9, 0));

    FleetFigures.FleetRoute route = FleetFigures.of(List.of(one, two)).get("eu").routes().get("users-get");

    RouteSample merged = route.merged();
    assertThat(merged.requests()).isEqualTo(1000);
    assertThat(merged.histogram().count(0)).isEqualTo(98);
    assertThat(merged.histogram().count(1)).isEqualTo(900);
    assertThat(merged.histogram().count(4)).isEqualTo(2);
    assertThat(merged.p99Micros()).isEqualTo(2_000);
    assertThat(merged.p50Micros()).isEqualTo(2_000);
    assertThat(merged.serverErrors()).isEqualTo(5);
    assertThat(merged.errorPercent()).isEqualTo(0.5);
    assertThat(merged.rateLimited()).isEqualTo(10);
    assertThat(merged.statuses().clientError()).isEqualTo(4);
    assertThat(route.agents()).extracting(FleetFigures.AgentSample::agentId)
        .containsExactly("edge-1", "edge-2");
  }

  @Test
  void agentsAreGroupedByTheClusterTheyReport() {
    var figures = FleetFigures.of(List.of(
        agent("edge-1", "eu", true, sample(new long[] {1, 0, 0, 0, 0, 0}, 0, 0, 0)),
        agent("edge-9", "us", true, sample(new long[] {1, 0, 0, 0, 0, 0}, 0, 0, 0)),
        agent("edge-2", "eu", true, sample(new long[] {1, 0, 0, 0, 0, 0}, 0, 0, 0)),
        new Agent("attaching", "", false, Map.of())));

    assertThat(figures.keySet()).containsExactly("eu", "us");
    assertThat(figures.get("eu").agents()).containsExactly("edge-1", "edge-2");
    assertThat(figures.get("us").routes().get("users-get").merged().requests()).isEqualTo(1);
  }

  @Test
  void anAgentThatIsNotLiveIsListedButLeftOutOfTheSums() {
    var figures = FleetFigures.of(List.of(
        agent("edge-1", "eu", true, sample(new long[] {10, 0, 0, 0, 0, 0}, 0, 0, 0)),
        agent("edge-2", "eu", false, sample(new long[] {0, 0, 0, 0, 0, 500}, 500, 0, 0))));

    FleetFigures.FleetRoute route = figures.get("eu").routes().get("users-get");
    assertThat(route.merged().requests()).isEqualTo(10);
    assertThat(route.merged().errorPercent()).isZero();
    assertThat(route.agents()).hasSize(2);
    assertThat(figures.get("eu").liveAgents()).containsExactly("edge-1");
  }

  @Test
  void errorRateStaysWithinAHundredPercentWhateverTheAgentsReport() {
    var figures = FleetFigures.of(List.of(
        agent("edge-1", "eu", true, sample(new long[] {3, 0, 0, 0, 0, 0}, 3, 0, 0)),
        agent("edge-2", "eu", true, sample(new long[] {0, 0, 0, 0, 0, 0}, 2, 0, 0))));

    assertThat(figures.get("eu").routes().get("users-get").merged().errorPercent())
        .isBetween(0.0, 100.0);
  }

  @Test
  void agentsWithDifferentBucketsStillSumCountsButShowNoFleetPercentile() {
    RouteSample odd = new RouteSample("users-get", 4, 0, 0, 1.0,
        LatencyHistogram.of(new long[] {3_000}, new long[] {4, 0}), 3_000, 3_000);
    var figures = FleetFigures.of(List.of(
        agent("edge-1", "eu", true, sample(new long[] {10, 0, 0, 0, 0, 0}, 0, 0, 0)),
        agent("edge-old", "eu", true, odd)));

    FleetFigures.FleetRoute route = figures.get("eu").routes().get("users-get");
    assertThat(route.comparable()).isFalse();
    assertThat(route.merged().requests()).isEqualTo(14);
    assertThat(route.merged().p99Micros()).isEqualTo(-1);
  }

  private static Agent agent(String id, String cluster, boolean live, RouteSample usersGet) {
    return new Agent(id, cluster, live, Map.of("users-get", usersGet));
  }

  private static RouteSample sample(long[] counts, long serverErrors, long rateLimited, long clientErrors) {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, counts);
    long total = h.total();
    return new RouteSample("users-get", total, serverErrors, rateLimited, 1.0, h,
        h.percentileMicros(0.5), h.percentileMicros(0.99),
        new StatusCounts(0, Math.max(0, total - serverErrors - clientErrors), 0, clientErrors,
            serverErrors));
  }
}
