package dev.sluice.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.BreakerTransition;
import dev.sluice.admin.v1.ConfigChanged;
import dev.sluice.admin.v1.DrainChanged;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.LatencyHistogram;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.StatusClassCounts;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryModelTest {
  /** A step boundary on the agent's 10 s grid. */
  private static final long T = 1_790_000_000L;

  @Test
  void loadedHistoryComesBeforeLiveFramesWithoutCountingTheSeamTwice() {
    HistoryModel model = new HistoryModel();
    // Live frames arrive first: 1 s frames from T+3 to T+12 (steps T and T+10).
    for (long s = T + 3; s < T + 13; s++) {
      model.applyFrame(frame(s + 1, "users", 5, 1));
    }
    assertThat(model.route("users").all()).extracting(HistoryStep::requests)
        .containsExactly(35L, 15L);

    // Then the agent's history, asked for at T+13: steps T-20, T-10 and T (complete), T+10 (partial).
    model.applyHistory(List.of(chunk("users", point(T - 20, 100), point(T - 10, 110),
        point(T, 50), point(T + 10, 7))), Instant.ofEpochSecond(T + 13));

    List<HistoryStep> steps = model.route("users").all();
    assertThat(steps).extracting(HistoryStep::startEpochSecond)
        .containsExactly(T - 20, T - 10, T, T + 10);
    assertThat(steps).extracting(HistoryStep::requests)
        .as("step T is the agent's full 50, not 50 + the 35 seen live; T+10 stays live")
        .containsExactly(100L, 110L, 50L, 15L);
    assertThat(steps).extracting(HistoryStep::fromHistory).containsExactly(true, true, true, false);

    // A late live frame for a step the history holds is not added on top of it.
    model.applyFrame(frame(T + 10, "users", 9, 0));
    assertThat(model.route("users").between(T, T + 10)).extracting(HistoryStep::requests)
        .containsExactly(50L);
    // And live frames go on extending the timeline.
    model.applyFrame(frame(T + 21, "users", 4, 0));
    assertThat(model.route("users").all()).extracting(HistoryStep::requests)
        .containsExactly(100L, 110L, 50L, 15L, 4L);
  }

  @Test
  void liveStepPercentilesComeFromTheMergedHistogramOfItsFrames() {
    HistoryModel model = new HistoryModel();
    // Bounds 1, 10, 100 ms: one frame all fast, one all slow, in the same step.
    model.applyFrame(frameWithHistogram(T + 1, List.of(10L, 0L, 0L, 0L)));
    model.applyFrame(frameWithHistogram(T + 2, List.of(0L, 0L, 10L, 0L)));

    HistoryStep step = model.route("users").all().get(0);
    assertThat(step.requests()).isEqualTo(20);
    assertThat(step.p99Micros()).isEqualTo(100_000);
    assertThat(step.p50Micros()).isLessThanOrEqualTo(1_000);
  }

  @Test
  void historyLoadedAfterAReconnectFillsTheGapAndKeepsWhatWasSeen() {
    HistoryModel model = new HistoryModel();
    model.applyHistory(List.of(chunk("users", point(T, 10))), Instant.ofEpochSecond(T + 10));
    model.applyFrame(frame(T + 11, "users", 3, 0));
    // Disconnected from T+12 to T+40; the second load covers it.
    model.applyHistory(List.of(chunk("users", point(T, 10), point(T + 10, 30), point(T + 20, 20),
        point(T + 30, 25), point(T + 40, 2))), Instant.ofEpochSecond(T + 41));

    assertThat(model.route("users").all()).extracting(HistoryStep::requests)
        .containsExactly(10L, 30L, 20L, 25L);
  }

  @Test
  void stepsOlderThanTheRetentionAreDropped() {
    HistoryModel model = new HistoryModel();
    model.configure(java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(1));
    model.applyHistory(List.of(chunk("users", point(T - 120, 1), point(T - 30, 2))),
        Instant.ofEpochSecond(T));

    assertThat(model.route("users").all()).extracting(HistoryStep::requests).containsExactly(2L);
  }

  @Test
  void breakerTransitionBecomesAMarkerWithStateWordAndCauseOnItsServicesRoutesOnly() {
    HistoryModel model = new HistoryModel();
    model.applyEvents(List.of(
        Event.newBuilder().setSequence(7).setTime(ts(T)).setKind(EventKind.EVENT_KIND_BREAKER_TRANSITION)
            .setSummary("breaker users opened")
            .setBreakerTransition(BreakerTransition.newBuilder().setService("users")
                .setFrom(BreakerState.BREAKER_STATE_CLOSED).setTo(BreakerState.BREAKER_STATE_OPEN)
                .setCause("failure rate 62% ≥ 50%"))
            .build(),
        Event.newBuilder().setSequence(8).setTime(ts(T + 5)).setKind(EventKind.EVENT_KIND_DRAIN_CHANGED)
            .setDrainChanged(DrainChanged.newBuilder().setService("orders").setInstanceId("orders-1")
                .setDrained(true))
            .build(),
        Event.newBuilder().setSequence(9).setTime(ts(T + 6)).setKind(EventKind.EVENT_KIND_CONFIG_CHANGED)
            .setConfigChanged(ConfigChanged.newBuilder().setPreviousVersion(3).setVersion(4)
                .addRoutes("users-get"))
            .build(),
        Event.newBuilder().setSequence(10).setTime(ts(T + 7))
            .setKind(EventKind.EVENT_KIND_HEALTH_CHANGED).build()));

    List<Annotation> users = model.annotations("users-get", "users", Instant.ofEpochSecond(T - 1),
        Instant.ofEpochSecond(T + 60));
    assertThat(users).extracting(Annotation::sequence).containsExactly(7L, 9L);
    Annotation open = users.get(0);
    assertThat(open.kind()).isEqualTo(Annotation.Kind.BREAKER_OPEN);
    assertThat(open.symbol()).isEqualTo("✕");
    assertThat(open.label()).isEqualTo("breaker users OPEN");
    assertThat(open.detail()).isEqualTo("breaker users OPEN — failure rate 62 % ≥ 50 %");
    assertThat(users.get(1).label()).isEqualTo("config v4");
    assertThat(model.annotations("orders", "orders", Instant.ofEpochSecond(T - 1),
        Instant.ofEpochSecond(T + 60))).extracting(Annotation::label).containsExactly("drain orders-1");
  }

  @Test
  void anEventSeenBothInTheListAndLiveIsOneMarker() {
    HistoryModel model = new HistoryModel();
    Event e = Event.newBuilder().setSequence(3).setTime(ts(T)).setKind(EventKind.EVENT_KIND_CONFIG_CHANGED)
        .setConfigChanged(ConfigChanged.newBuilder().setVersion(2)).build();
    model.applyEvents(List.of(e));
    model.applyEvents(List.of(e));

    assertThat(model.allAnnotations()).hasSize(1);
  }

  @Test
  void snapshotAtAnExportsStartIsTheNewestTheConsoleSawByThen() {
    HistoryModel model = new HistoryModel();
    model.applySnapshot(snapshot(3, T));
    model.applySnapshot(snapshot(3, T + 5));
    model.applySnapshot(snapshot(4, T + 100));

    assertThat(model.snapshotAt(Instant.ofEpochSecond(T - 1))).as("not attached then").isNull();
    assertThat(model.snapshotAt(Instant.ofEpochSecond(T + 50)).getConfigVersion()).isEqualTo(3);
    assertThat(model.snapshotAt(Instant.ofEpochSecond(T + 100)).getConfigVersion()).isEqualTo(4);
  }

  private static dev.sluice.admin.v1.Snapshot snapshot(long version, long takenAt) {
    return dev.sluice.admin.v1.Snapshot.newBuilder().setConfigVersion(version).setTakenAt(ts(takenAt))
        .build();
  }

  private static TelemetryFrame frame(long endSecond, String route, long requests, long errors) {
    return TelemetryFrame.newBuilder().setTime(ts(endSecond))
        .setInterval(Duration.newBuilder().setSeconds(1))
        .addRoutes(RouteTelemetry.newBuilder().setRouteId(route).setRequests(requests)
            .setStatuses(StatusClassCounts.newBuilder().setSuccess(requests - errors).setServerError(errors))
            .setLatency(Percentiles.newBuilder().setP50Micros(1000).setP99Micros(2000)))
        .build();
  }

  private static TelemetryFrame frameWithHistogram(long endSecond, List<Long> counts) {
    long total = counts.stream().mapToLong(Long::longValue).sum();
    return TelemetryFrame.newBuilder().setTime(ts(endSecond))
        .setInterval(Duration.newBuilder().setSeconds(1))
        .addAllLatencyBoundsMicros(List.of(1_000L, 10_000L, 100_000L))
        .addRoutes(RouteTelemetry.newBuilder().setRouteId("users").setRequests(total)
            .setHistogram(LatencyHistogram.newBuilder().addAllCounts(counts))
            .setLatency(Percentiles.newBuilder().setP50Micros(5).setP99Micros(5)))
        .build();
  }

  private static HistoryPoint point(long start, long requests) {
    return HistoryPoint.newBuilder().setStart(ts(start)).setRequests(requests)
        .setLatency(Percentiles.newBuilder().setP50Micros(3000).setP99Micros(9000)).build();
  }

  private static TelemetryHistoryChunk chunk(String route, HistoryPoint... points) {
    return TelemetryHistoryChunk.newBuilder().setResolution(Duration.newBuilder().setSeconds(10))
        .addRoutes(RouteHistory.newBuilder().setRouteId(route).addAllPoints(List.of(points)))
        .setLast(true).build();
  }

  private static Timestamp ts(long second) {
    return Timestamp.newBuilder().setSeconds(second).build();
  }
}
