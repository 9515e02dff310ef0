package dev.sluice.agent.admin;

import static dev.sluice.agent.admin.TelemetryFrames.every;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import dev.sluice.agent.telemetry.HistoryRing;
import dev.sluice.agent.telemetry.LatencyBuckets;
import dev.sluice.agent.telemetry.RouteRecorder;
import dev.sluice.agent.telemetry.TelemetryHub;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelemetryServiceTest {

  private static final long MS = 1_000_000L;
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private TelemetryHub hub;
  private TestAdminServer admin;

  @BeforeEach
  void start() throws Exception {
    hub = new TelemetryHub(clock, HistoryRing.standard());
    admin = new TestAdminServer();
    admin.start(List.of(new TelemetryGrpcService(hub,
        frame -> frame.setConfigVersion(42), admin.metrics)));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    hub.close();
  }

  private void tick() {
    clock.advance(Duration.ofMillis(100));
    hub.tick();
  }

  @Test
  void intervalBelowOneHundredMillisecondsIsInvalid() {
    var stub = admin.authed(TelemetryServiceGrpc.newBlockingStub(admin.channel()));
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.watchTelemetry(every(Duration.ofMillis(50))).hasNext());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("interval: must be at least 100 ms, was 50 ms");
    assertThat(StatusProto.fromThrowable(e).getDetailsList()).singleElement().satisfies(any ->
        assertThat(any.unpack(BadRequest.class).getFieldViolations(0).getField())
            .isEqualTo("interval"));
    assertThat(hub.watcherCount()).isZero();
  }

  @Test
  void frameCarriesExactCountsBucketsAndPercentiles() {
    RouteRecorder route = hub.route("users-get", "/users/:id");
    TelemetryFrames frames = new TelemetryFrames(false);
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(() -> admin.authed(TelemetryServiceGrpc.newStub(admin.channel()))
        .watchTelemetry(every(Duration.ofMillis(100)), frames));
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.watcherCount() == 1);
    long[][] plan = {{50, 2 * MS}, {40, 20 * MS}, {9, 200 * MS}, {1, 2_000 * MS}};
    for (long[] step : plan) {
      for (int i = 0; i < step[0]; i++) {
        route.requestStarted();
        route.requestCompleted(200, step[1]);
      }
    }
    tick();
    await().atMost(Duration.ofSeconds(10)).until(() -> !frames.frames.isEmpty());

    TelemetryFrame frame = frames.frames.get(0);
    assertThat(frame.getConfigVersion()).isEqualTo(42);
    assertThat(frame.getLatencyBoundsMicrosList()).hasSize(30);
    RouteTelemetry users = frame.getRoutes(0);
    assertThat(users.getRequests()).isEqualTo(100);
    assertThat(users.getStatuses().getSuccess()).isEqualTo(100);
    List<Long> counts = users.getHistogram().getCountsList();
    assertThat(counts).hasSize(LatencyBuckets.COUNT);
    assertThat(counts.get(LatencyBuckets.bucketOf(2_000))).isEqualTo(50);
    assertThat(counts.get(LatencyBuckets.bucketOf(20_000))).isEqualTo(40);
    assertThat(counts.get(LatencyBuckets.bucketOf(200_000))).isEqualTo(9);
    assertThat(counts.get(LatencyBuckets.bucketOf(2_000_000))).isEqualTo(1);
    assertThat(LatencyBuckets.bucketOf(users.getLatency().getP50Micros())).isEqualTo(7);
    assertThat(LatencyBuckets.bucketOf(users.getLatency().getP90Micros())).isEqualTo(12);
    assertThat(LatencyBuckets.bucketOf(users.getLatency().getP99Micros())).isEqualTo(17);
    assertThat(LatencyBuckets.bucketOf(users.getLatency().getMaxMicros())).isEqualTo(22);
    assertThat(admin.metrics.telemetryWatchers()).hasValue(1);

    context.cancel(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.watcherCount() == 0);
    assertThat(admin.metrics.telemetryWatchers()).hasValue(0);
  }

  @Test
  void historyHoldsTheCompletedStepsInChunks() {
    RouteRecorder route = hub.route("users-get", "/users/:id");
    for (int i = 0; i < 7; i++) {
      route.requestStarted();
      route.requestCompleted(i == 0 ? 500 : 200, 4 * MS);
    }
    clock.advance(Duration.ofSeconds(10));
    hub.tick();
    clock.advance(Duration.ofSeconds(10));
    hub.tick(); // starts the next step, completing the first

    var stub = admin.authed(TelemetryServiceGrpc.newBlockingStub(admin.channel()));
    List<TelemetryHistoryChunk> chunks = new ArrayList<>();
    stub.getTelemetryHistory(GetTelemetryHistoryRequest.getDefaultInstance())
        .forEachRemaining(chunks::add);
    assertThat(chunks).singleElement().satisfies(chunk -> {
      assertThat(chunk.getLast()).isTrue();
      assertThat(chunk.getResolution().getSeconds()).isEqualTo(10);
      assertThat(chunk.getRoutesList()).singleElement().satisfies(history -> {
        assertThat(history.getRouteId()).isEqualTo("users-get");
        assertThat(history.getPointsList()).singleElement().satisfies(point -> {
          assertThat(point.getStart().getSeconds()).isEqualTo(T0.getEpochSecond());
          assertThat(point.getRequests()).isEqualTo(7);
          assertThat(point.getStatuses().getServerError()).isEqualTo(1);
          assertThat(point.getLatency().getP50Micros()).isBetween(3_980L, 4_060L);
        });
      });
    });

    List<TelemetryHistoryChunk> none = new ArrayList<>();
    stub.getTelemetryHistory(GetTelemetryHistoryRequest.newBuilder().setRoutePrefix("/orders")
        .build()).forEachRemaining(none::add);
    assertThat(none).singleElement().satisfies(c -> {
      assertThat(c.getLast()).isTrue();
      assertThat(c.getRoutesList()).isEmpty();
    });
  }

  @Test
  void watchEndsWhenTheServerStops() throws Exception {
    TelemetryFrames frames = new TelemetryFrames(false);
    admin.authed(TelemetryServiceGrpc.newStub(admin.channel()))
        .watchTelemetry(every(Duration.ofSeconds(1)), frames);
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.watcherCount() == 1);
    admin.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.watcherCount() == 0);
    admin = new TestAdminServer().start(List.of());
  }

  @Test
  void requestFiltersRoutesAndCanLeaveOutHistograms() {
    hub.route("users-get", "/users/:id");
    hub.route("users-list", "/users");
    hub.route("orders", "/orders");
    for (RouteRecorder route : hub.routes()) {
      route.requestStarted();
      route.requestCompleted(200, MS);
    }
    TelemetryFrames frames = new TelemetryFrames(false);
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(() -> admin.authed(TelemetryServiceGrpc.newStub(admin.channel())).watchTelemetry(
        WatchTelemetryRequest.newBuilder().setInterval(AdminProtoMapper.duration(
            Duration.ofMillis(100))).setRoutePrefix("/users").addRouteIds("users-list")
            .setOmitHistograms(true).build(), frames));
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.watcherCount() == 1);
    tick();
    await().atMost(Duration.ofSeconds(10)).until(() -> !frames.frames.isEmpty());
    assertThat(frames.frames.get(0).getRoutesList()).singleElement().satisfies(route -> {
      assertThat(route.getRouteId()).isEqualTo("users-list");
      assertThat(route.hasHistogram()).isFalse();
      assertThat(route.getLatency().getP50Micros()).isPositive();
    });
    context.cancel(null);
  }
}
