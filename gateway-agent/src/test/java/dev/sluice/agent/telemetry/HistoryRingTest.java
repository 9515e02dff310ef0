package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.admin.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistoryRingTest {

  private static final long MS = 1_000_000L;
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void keepsOnePointPerBusyStepWithCountsAndPercentiles() {
    MutableClock clock = new MutableClock(T0);
    HistoryRing ring = HistoryRing.standard();
    TelemetryHub hub = new TelemetryHub(clock, ring);
    RouteRecorder route = hub.route("users-get", "/users/:id");
    for (int step = 0; step < 5; step++) {
      if (step == 2) {
        clock.advance(Duration.ofSeconds(10)); // an idle step
        hub.tick();
        continue;
      }
      for (int i = 0; i < 100; i++) {
        route.requestStarted();
        route.requestCompleted(i < 95 ? 200 : 503, (i < 90 ? 5 : 80) * MS);
      }
      route.failed(ErrorCause.NO_INSTANCE);
      clock.advance(Duration.ofSeconds(10));
      hub.tick();
    }
    ring.flush();

    List<RouteHistory> history = ring.read(null, null, RouteFilter.ALL);
    assertThat(history).singleElement().satisfies(h -> {
      assertThat(h.routeId()).isEqualTo("users-get");
      assertThat(h.points()).extracting(HistoryPoint::start).containsExactly(T0,
          T0.plusSeconds(10), T0.plusSeconds(30), T0.plusSeconds(40));
      assertThat(h.points()).allSatisfy(p -> {
        assertThat(p.requests()).isEqualTo(100);
        assertThat(p.statuses().success()).isEqualTo(95);
        assertThat(p.statuses().serverError()).isEqualTo(5);
        assertThat(p.errors().noInstance()).isEqualTo(1);
        assertThat(p.p50Micros()).isCloseTo(5_000, org.assertj.core.data.Percentage.withPercentage(3.5));
        assertThat(p.p90Micros()).isCloseTo(5_000, org.assertj.core.data.Percentage.withPercentage(3.5));
        assertThat(p.p99Micros()).isCloseTo(80_000, org.assertj.core.data.Percentage.withPercentage(3.5));
        assertThat(p.maxMicros()).isCloseTo(80_000, org.assertj.core.data.Percentage.withPercentage(3.5));
      });
    });
  }

  @Test
  void historyAfterKnownRequestsHoldsTheirExactCountsByClass() {
    MutableClock clock = new MutableClock(T0);
    HistoryRing ring = HistoryRing.standard();
    TelemetryHub hub = new TelemetryHub(clock, ring);
    RouteRecorder route = hub.route("orders", "/orders");
    int[] perStep = {1, 997, 0, 40, 12_345, 3};
    long sent = 0;
    for (int step = 0; step < perStep.length; step++) {
      for (int i = 0; i < perStep[step]; i++) {
        route.requestStarted();
        int status = i % 50 == 7 ? 504 : i % 20 == 3 ? 404 : 200;
        route.requestCompleted(status, (1 + i % 300) * MS);
        if (status == 504) {
          route.failed(ErrorCause.UPSTREAM_TIMEOUT);
        }
      }
      sent += perStep[step];
      for (int i = 0; i < step; i++) {
        route.rateLimited();
      }
      // Ticks every 2.5 s: four ticks merge into one 10 s step.
      for (int tick = 0; tick < 4; tick++) {
        clock.advance(Duration.ofMillis(2_500));
        hub.tick();
      }
    }
    ring.flush();

    List<HistoryPoint> points = ring.read(null, null, RouteFilter.ALL).get(0).points();
    assertThat(points.stream().mapToLong(HistoryPoint::requests).sum()).isEqualTo(sent);
    assertThat(points).extracting(HistoryPoint::requests).containsExactly(1L, 997L, 0L, 40L, 12_345L, 3L);
    assertThat(points).extracting(HistoryPoint::rateLimited).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(points.get(4).statuses()).isEqualTo(new RouteTraffic.StatusCounts(0,
        12_345 - 247 - 618, 0, 618, 247));
    assertThat(points.get(4).errors().upstreamTimeout()).isEqualTo(247);
    assertThat(points.get(4).p50Micros()).isCloseTo(147_000, org.assertj.core.data.Percentage.withPercentage(3.5));
    assertThat(points.get(4).maxMicros()).isCloseTo(300_000, org.assertj.core.data.Percentage.withPercentage(3.5));
  }

  @Test
  void fineStepsAndSparseRoutesKeepTheirStartsExact() {
    // 100 ms steps since the epoch pass 2^32; a point every 70,000 steps makes a block span millions.
    HistoryRing ring = new HistoryRing(Duration.ofMillis(100), 1_000_000, HistoryRing.DEFAULT_MAX_BYTES);
    for (int i = 0; i < 300; i++) {
      Instant start = T0.plusMillis(100L * 70_000 * i);
      ring.accept(new TelemetryTick(i + 1, i + 1, start, start.plusMillis(100),
          Map.of("sparse", sample("/s", 3, 1_000))));
    }
    ring.flush();

    List<HistoryPoint> points = ring.read(null, null, RouteFilter.ALL).get(0).points();
    assertThat(points).hasSize(15).allSatisfy(p -> assertThat(p.requests()).isEqualTo(3));
    assertThat(points).extracting(HistoryPoint::start)
        .startsWith(T0.plusMillis(100L * 70_000 * 285)).endsWith(T0.plusMillis(100L * 70_000 * 299));
  }

  @Test
  void readHonoursTheTimeWindowAndTheRouteFilter() {
    HistoryRing ring = HistoryRing.standard();
    for (int step = 0; step < 6; step++) {
      ring.accept(tick(step, Map.of("a", sample("/a", 10, 1_000), "b", sample("/b", 5, 2_000))));
    }
    ring.flush();
    List<RouteHistory> window = ring.read(T0.plusSeconds(20), T0.plusSeconds(40),
        new RouteFilter(java.util.Set.of(), "/a"));
    assertThat(window).singleElement().satisfies(h ->
        assertThat(h.points()).extracting(HistoryPoint::start)
            .containsExactly(T0.plusSeconds(20), T0.plusSeconds(30)));
  }

  @Test
  void pointsOlderThanTheRetentionAreDropped() {
    HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 10, HistoryRing.DEFAULT_MAX_BYTES);
    for (int step = 0; step < 200; step++) {
      ring.accept(tick(step, Map.of("a", sample("/a", 1, 1_000))));
    }
    ring.flush();
    List<HistoryPoint> points = ring.read(null, null, RouteFilter.ALL).get(0).points();
    assertThat(points).hasSize(10);
    assertThat(points.get(0).start()).isEqualTo(T0.plusSeconds(1_900));
  }

  @Test
  void aBusyRouteCostsAFewBytesAStep() {
    HistoryRing ring = HistoryRing.standard();
    int routes = 20;
    for (int step = 0; step < HistoryRing.DEFAULT_STEPS + 5; step++) {
      Map<String, RouteSample> samples = new java.util.HashMap<>();
      for (int r = 0; r < routes; r++) {
        samples.put("route-" + r, sample("/r" + r, 800 + step % 300, 1_000 + 37L * (step % 500)));
      }
      ring.accept(tick(step, samples));
    }
    ring.flush();
    long perRoute = ring.estimatedBytes() / routes;
    assertThat(perRoute).isBetween(1_000L, 12_000L);
    assertThat(ring.read(null, null, RouteFilter.ALL).get(0).points())
        .hasSize(HistoryRing.DEFAULT_STEPS);
  }

  @Test
  void byteBudgetIsAHardBoundThatDropsTheOldestBlocksFirst() {
    long budget = 4 * 1024;
    HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), HistoryRing.DEFAULT_STEPS, budget);
    int routes = 10;
    for (int step = 0; step < 1_000; step++) {
      Map<String, RouteSample> samples = new java.util.HashMap<>();
      for (int r = 0; r < routes; r++) {
        samples.put("route-" + r, sample("/r" + r, 1_000, 2_000));
      }
      ring.accept(tick(step, samples));
    }
    ring.flush();
    long openBlocksAtMost = routes * (HistoryRing.POINTS_PER_BLOCK * 16L
        + HistoryRing.BLOCK_OVERHEAD_BYTES + HistoryRing.ROUTE_OVERHEAD_BYTES + 512);
    assertThat(ring.estimatedBytes()).isLessThanOrEqualTo(budget + openBlocksAtMost);
    List<HistoryPoint> points = ring.read(null, null, RouteFilter.ALL).get(0).points();
    assertThat(points.get(points.size() - 1).start()).isEqualTo(T0.plusSeconds(9_990));
    assertThat(points.get(0).start()).isAfter(T0.plusSeconds(1_000));
  }

  @Test
  void logScaleKeepsLatenciesWithinTwoAndAHalfPercent() {
    for (long micros : new long[] {1, 99, 100, 1_234, 987_654, 59_999_999, 3_600_000_000L}) {
      long back = HistoryRing.fromLogIndex(HistoryRing.logIndex(micros));
      assertThat((double) Math.abs(back - micros) / micros).as("%d µs", micros)
          .isLessThanOrEqualTo(0.025);
    }
    assertThat(HistoryRing.fromLogIndex(HistoryRing.logIndex(0))).isZero();
  }

  private static TelemetryTick tick(int step, Map<String, RouteSample> routes) {
    Instant start = T0.plusSeconds(10L * step);
    return new TelemetryTick(step + 1, step + 1, start, start.plusSeconds(10), routes);
  }

  private static RouteSample sample(String path, long requests, long micros) {
    Histogram histogram = new Histogram(2);
    histogram.recordValueWithCount(micros, requests);
    return new RouteSample(path, new RouteTraffic(requests,
        new RouteTraffic.StatusCounts(0, requests, 0, 0, 0), RouteTraffic.ErrorCounts.NONE, 0,
        LatencyDistribution.of(histogram)));
  }
}
