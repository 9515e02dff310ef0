package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.agent.admin.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

class TelemetryHubTest {

  private static final long MS = 1_000_000L;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final TelemetryHub hub = new TelemetryHub(clock, HistoryRing.standard());

  /** Collects frames; readiness can be switched off to act as a stalled consumer. */
  static final class CollectingSink implements FrameSink {
    final List<TrafficFrame> frames = new CopyOnWriteArrayList<>();
    final AtomicBoolean ready = new AtomicBoolean(true);

    @Override
    public boolean isReady() {
      return ready.get();
    }

    @Override
    public void send(TrafficFrame frame) {
      frames.add(frame);
    }
  }

  private void advanceAndTick(int ticks) {
    for (int i = 0; i < ticks; i++) {
      clock.advance(Duration.ofMillis(TelemetryHub.TICK_MILLIS));
      hub.tick();
    }
  }

  /** 50 × 2 ms, 40 × 20 ms, 9 × 200 ms, 1 × 2 s: 100 requests with known percentiles. */
  private static void recordKnownSet(RouteRecorder route) {
    long[][] plan = {{50, 2 * MS}, {40, 20 * MS}, {9, 200 * MS}, {1, 2_000 * MS}};
    for (long[] step : plan) {
      for (int i = 0; i < step[0]; i++) {
        route.requestStarted();
        route.requestCompleted(200, step[1]);
      }
    }
  }

  @Test
  void frameCountsAreExactAndPercentilesFallInTheRightBuckets() {
    RouteRecorder route = hub.route("users-get", "/users/:id");
    CollectingSink sink = new CollectingSink();
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, sink);
    recordKnownSet(route);
    advanceAndTick(1);

    assertThat(sink.frames).singleElement().satisfies(frame -> {
      assertThat(frame.coalescedFrames()).isZero();
      RouteFrame users = frame.routes().get(0);
      assertThat(users.routeId()).isEqualTo("users-get");
      assertThat(users.traffic().requests()).isEqualTo(100);
      assertThat(users.traffic().statuses().success()).isEqualTo(100);
      assertThat(users.inFlight()).isZero();
      long[] buckets = users.traffic().latency().bucketCounts();
      assertThat(buckets[LatencyBuckets.bucketOf(2_000)]).isEqualTo(50);
      assertThat(buckets[LatencyBuckets.bucketOf(20_000)]).isEqualTo(40);
      assertThat(buckets[LatencyBuckets.bucketOf(200_000)]).isEqualTo(9);
      assertThat(buckets[LatencyBuckets.bucketOf(2_000_000)]).isEqualTo(1);
      assertThat(java.util.Arrays.stream(buckets).sum()).isEqualTo(100);
      LatencyDistribution latency = users.traffic().latency();
      assertThat(LatencyBuckets.bucketOf(latency.valueAtPercentile(50))).isEqualTo(7);
      assertThat(LatencyBuckets.bucketOf(latency.valueAtPercentile(90))).isEqualTo(12);
      assertThat(LatencyBuckets.bucketOf(latency.valueAtPercentile(99))).isEqualTo(17);
      assertThat(LatencyBuckets.bucketOf(latency.valueAtPercentile(99.9))).isEqualTo(22);
      assertThat(latency.max()).isBetween(2_000_000L, 2_020_000L);
    });
  }

  @Test
  void percentilesMatchHdrHistogramAlsoAfterMerging() {
    Histogram reference = new Histogram(2);
    Histogram first = new Histogram(2);
    Histogram second = new Histogram(2);
    for (int i = 1; i <= 5_000; i++) {
      long micros = 50 + (i * 7919L) % 400_000;
      reference.recordValue(micros);
      (i % 3 == 0 ? first : second).recordValue(micros);
    }
    LatencyDistribution merged = LatencyDistribution.of(first).plus(LatencyDistribution.of(second));
    assertThat(merged.totalCount()).isEqualTo(5_000);
    for (double p : new double[] {50, 90, 99, 99.9, 100}) {
      assertThat(merged.valueAtPercentile(p)).as("p%s", p)
          .isEqualTo(reference.getValueAtPercentile(p));
    }
    assertThat(merged.max()).isEqualTo(reference.getMaxValue());
  }

  @Test
  void statusClassesErrorCausesRateLimitedAndInFlightAreCounted() {
    RouteRecorder route = hub.route("pay", "/pay");
    CollectingSink sink = new CollectingSink();
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, sink);
    route.requestStarted();
    route.requestCompleted(302, MS);
    route.requestStarted();
    route.requestCompleted(429, MS);
    route.rateLimited();
    route.requestStarted();
    route.requestCompleted(504, 30_000 * MS);
    route.failed(ErrorCause.UPSTREAM_TIMEOUT);
    route.requestStarted();
    route.requestCompleted(503, MS);
    route.failed(ErrorCause.BREAKER_REJECTED);
    route.requestStarted(); // still running at the end of the interval
    advanceAndTick(1);

    RouteTraffic traffic = sink.frames.get(0).routes().get(0).traffic();
    assertThat(traffic.requests()).isEqualTo(4);
    assertThat(traffic.statuses()).isEqualTo(new RouteTraffic.StatusCounts(0, 0, 1, 1, 2));
    assertThat(traffic.errors()).isEqualTo(new RouteTraffic.ErrorCounts(0, 1, 0, 1, 0, 0));
    assertThat(traffic.rateLimited()).isEqualTo(1);
    assertThat(sink.frames.get(0).routes().get(0).inFlight()).isEqualTo(1);
  }

  @Test
  void watcherGetsOneFramePerIntervalSummingItsTicks() {
    RouteRecorder route = hub.route("a", "/a");
    CollectingSink sink = new CollectingSink();
    hub.watch(Duration.ofSeconds(1), RouteFilter.ALL, sink);
    for (int i = 0; i < 10; i++) {
      route.requestStarted();
      route.requestCompleted(200, MS);
      advanceAndTick(1);
    }
    assertThat(sink.frames).singleElement().satisfies(frame -> {
      assertThat(frame.routes().get(0).traffic().requests()).isEqualTo(10);
      assertThat(frame.interval()).isEqualTo(Duration.ofSeconds(1));
    });
  }

  @Test
  void stalledWatcherGetsCoalescedFramesAndDoesNotHoldBackAnotherWatcher() {
    RouteRecorder route = hub.route("a", "/a");
    CollectingSink stalled = new CollectingSink();
    stalled.ready.set(false);
    CollectingSink healthy = new CollectingSink();
    TelemetryWatch stalledWatch = hub.watch(Duration.ofMillis(100), RouteFilter.ALL, stalled);
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, healthy);

    for (int i = 0; i < 20; i++) {
      route.requestStarted();
      route.requestCompleted(200, MS);
      advanceAndTick(1);
    }
    assertThat(healthy.frames).hasSize(20);
    assertThat(healthy.frames).allSatisfy(f -> assertThat(f.coalescedFrames()).isZero());
    assertThat(stalled.frames).isEmpty();
    assertThat(stalledWatch.coalescedTotal()).isEqualTo(20);

    stalled.ready.set(true);
    route.requestStarted();
    route.requestCompleted(200, MS);
    advanceAndTick(1);
    assertThat(stalled.frames).singleElement().satisfies(frame -> {
      assertThat(frame.coalescedFrames()).isEqualTo(20);
      assertThat(frame.routes().get(0).traffic().requests()).isEqualTo(21);
      assertThat(frame.interval()).isEqualTo(Duration.ofMillis(2_100));
    });
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void recordingIsNotBlockedByAWatcherWhoseSinkNeverReturns() throws Exception {
    TelemetryHub live = new TelemetryHub(java.time.Clock.systemUTC(), HistoryRing.standard());
    CountDownLatch release = new CountDownLatch(1);
    FrameSink stuck = new FrameSink() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void send(TrafficFrame frame) {
        try {
          release.await(); // a broken sink that blocks the ticker thread
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try {
      RouteRecorder route = live.route("a", "/a");
      live.watch(Duration.ofMillis(100), RouteFilter.ALL, stuck);
      live.start();
      route.requestStarted();
      route.requestCompleted(200, MS);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> release.getCount() == 1 && Thread.getAllStackTraces().keySet().stream()
              .anyMatch(t -> t.getName().equals("sluice-telemetry-ticker")
                  && t.getState() == Thread.State.WAITING));
      for (int i = 0; i < 100_000; i++) {
        route.requestStarted();
        route.requestCompleted(200, MS);
      }
      assertThat(route.inFlight()).isZero();
    } finally {
      release.countDown();
      live.close();
    }
  }

  @Test
  void filterSelectsRoutesByIdAndPathPrefix() {
    hub.route("users-get", "/users/:id").requestStarted();
    hub.route("users-list", "/users").requestStarted();
    hub.route("orders", "/orders").requestStarted();
    CollectingSink byPrefix = new CollectingSink();
    CollectingSink byId = new CollectingSink();
    hub.watch(Duration.ofMillis(100), new RouteFilter(Set.of(), "/users"), byPrefix);
    hub.watch(Duration.ofMillis(100), new RouteFilter(Set.of("orders"), ""), byId);
    advanceAndTick(1);
    assertThat(byPrefix.frames.get(0).routes()).extracting(RouteFrame::routeId)
        .containsExactly("users-get", "users-list");
    assertThat(byId.frames.get(0).routes()).extracting(RouteFrame::routeId)
        .containsExactly("orders");
  }

  @Test
  void watchersDueOnTheSameTicksWithTheSameFilterShareOneFrameBody() {
    hub.route("users", "/users").requestStarted();
    hub.route("orders", "/orders").requestStarted();
    CollectingSink early = new CollectingSink();
    CollectingSink late = new CollectingSink();
    CollectingSink other = new CollectingSink();
    hub.watch(Duration.ofMillis(200), new RouteFilter(Set.of(), "/users"), early);
    clock.advance(Duration.ofMillis(40)); // joins later within the same tick
    hub.watch(Duration.ofMillis(200), new RouteFilter(Set.of(), "/users"), late);
    hub.watch(Duration.ofMillis(200), new RouteFilter(Set.of(), "/orders"), other);
    clock.advance(Duration.ofMillis(60));
    hub.tick();
    advanceAndTick(3);

    assertThat(early.frames).hasSize(2);
    assertThat(late.frames).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(late.frames.get(i).body()).isSameAs(early.frames.get(i).body());
      assertThat(other.frames.get(i).body()).isNotSameAs(early.frames.get(i).body());
    }
    assertThat(late.frames.get(0).start()).as("window of the late joiner starts at the tick start")
        .isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(other.frames.get(0).routes()).extracting(RouteFrame::routeId)
        .containsExactly("orders");
  }

  @Test
  void stalledWatcherLeavesItsGroupUntilItsCoalescedFrameIsSent() {
    hub.route("a", "/a").requestStarted();
    CollectingSink steady = new CollectingSink();
    CollectingSink stalled = new CollectingSink();
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, steady);
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, stalled);
    advanceAndTick(1);
    stalled.ready.set(false);
    advanceAndTick(2);
    stalled.ready.set(true);
    advanceAndTick(1);
    advanceAndTick(1);

    assertThat(stalled.frames).hasSize(3);
    assertThat(stalled.frames.get(0).body()).isSameAs(steady.frames.get(0).body());
    assertThat(stalled.frames.get(1).coalescedFrames()).isEqualTo(2);
    assertThat(stalled.frames.get(1).interval()).isEqualTo(Duration.ofMillis(300));
    assertThat(stalled.frames.get(1).body()).isNotSameAs(steady.frames.get(3).body());
    assertThat(stalled.frames.get(2).body()).as("back in step with the group")
        .isSameAs(steady.frames.get(4).body());
  }

  @Test
  void intervalBelowTheMinimumIsRefused() {
    assertThatThrownBy(() -> hub.watch(Duration.ofMillis(99), RouteFilter.ALL, new CollectingSink()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be at least 100 ms, was 99 ms");
  }

  @Test
  void closedWatcherGetsNoMoreFrames() {
    hub.route("a", "/a").requestStarted();
    CollectingSink sink = new CollectingSink();
    TelemetryWatch watch = hub.watch(Duration.ofMillis(100), RouteFilter.ALL, sink);
    advanceAndTick(1);
    watch.close();
    advanceAndTick(3);
    assertThat(sink.frames).hasSize(1);
    assertThat(hub.watcherCount()).isZero();
  }

  @Test
  void bucketBoundsAreSharedLogScaledAndInclusiveAtTheTop() {
    long[] bounds = LatencyBuckets.boundsMicros();
    assertThat(bounds).hasSize(30).startsWith(100).endsWith(60_000_000);
    assertThat(LatencyBuckets.bucketOf(100)).isZero();
    assertThat(LatencyBuckets.bucketOf(101)).isEqualTo(1);
    assertThat(LatencyBuckets.bucketOf(60_000_001)).isEqualTo(LatencyBuckets.COUNT - 1);
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void concurrentWritersLoseNoCountAcrossIntervalSwaps() throws Exception {
    RouteRecorder route = hub.route("a", "/a");
    CollectingSink sink = new CollectingSink();
    hub.watch(Duration.ofMillis(100), RouteFilter.ALL, sink);
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread writer = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          route.requestStarted();
          route.requestCompleted(200, (1 + i % 500) * 10_000L);
        }
        done.countDown();
      });
      // A hung writer must not keep the test JVM alive.
      writer.setDaemon(true);
      writer.start();
    }
    while (done.getCount() > 0) {
      advanceAndTick(1);
    }
    advanceAndTick(1);
    long requests = 0;
    long histogramCount = 0;
    long success = 0;
    for (TrafficFrame frame : sink.frames) {
      if (frame.routes().isEmpty()) {
        continue; // an interval with no traffic still gets its (empty) frame
      }
      RouteTraffic traffic = frame.routes().get(0).traffic();
      requests += traffic.requests();
      histogramCount += traffic.latency().totalCount();
      success += traffic.statuses().success();
    }
    assertThat(requests).isEqualTo((long) threads * perThread);
    assertThat(histogramCount).isEqualTo(requests);
    assertThat(success).isEqualTo(requests);
    assertThat(route.inFlight()).isZero();
  }

  @Test
  void dozensOfWatchersWithTheirOwnIntervalsEachSeeEveryRequest() {
    RouteRecorder route = hub.route("a", "/a");
    List<CollectingSink> sinks = new java.util.ArrayList<>();
    for (int w = 0; w < 50; w++) {
      CollectingSink sink = new CollectingSink();
      sinks.add(sink);
      hub.watch(Duration.ofMillis(100L * (1 + w % 7)), RouteFilter.ALL, sink);
    }
    for (int t = 0; t < 70; t++) {
      route.requestStarted();
      route.requestCompleted(200, MS);
      advanceAndTick(1);
    }
    advanceAndTick(7); // every interval (up to 700 ms) ends once more
    for (CollectingSink sink : sinks) {
      long seen = sink.frames.stream().mapToLong(f -> f.routes().isEmpty() ? 0
          : f.routes().get(0).traffic().requests()).sum();
      assertThat(seen).isEqualTo(70);
    }
  }

  @Test
  void recordingDoesNotAllocatePerRequest() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    RouteRecorder route = hub.route("a", "/a");
    for (int warm = 0; warm < 3; warm++) {
      recordMany(route, 20_000);
      advanceAndTick(1); // swaps the interval histogram, as in production
    }
    long threadId = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(threadId);
    recordMany(route, 200_000);
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;
    assertThat(allocated).as("bytes allocated for 200,000 requests").isLessThan(200_000);
  }

  private static void recordMany(RouteRecorder route, int requests) {
    for (int i = 0; i < requests; i++) {
      route.requestStarted();
      route.requestCompleted(200 + (i % 3) * 100, (100 + (i % 997) * 37L) * 1_000L);
    }
  }
}
