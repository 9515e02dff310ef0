package dev.sluice.agent.admin;

import static dev.sluice.agent.admin.TelemetryFrames.every;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import dev.sluice.agent.telemetry.HistoryRing;
import dev.sluice.agent.telemetry.RouteRecorder;
import dev.sluice.agent.telemetry.TelemetryHub;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames fanned out to many watchers over real gRPC on loopback: one encoding per group of
 * watchers that receive the same frame, whatever the number of watchers in it.
 */
class TelemetryFanOutTest {

  private static final long MS = 1_000_000L;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private TelemetryHub hub;
  private TestAdminServer admin;

  @BeforeEach
  void start() throws Exception {
    hub = new TelemetryHub(clock, HistoryRing.standard());
    admin = new TestAdminServer();
    admin.start(List.of(new TelemetryGrpcService(hub, frame -> frame.setConfigVersion(7),
        admin.metrics)));
  }

  @AfterEach
  void stop() {
    admin.close();
    hub.close();
  }

  private double encoded() {
    return admin.registry.get("sluice.admin.frames.encoded").counter().count();
  }

  private double coalesced() {
    return admin.registry.get("sluice.admin.frames.coalesced").counter().count();
  }

  private void tick() {
    clock.advance(Duration.ofMillis(TelemetryHub.TICK_MILLIS));
    hub.tick();
  }

  private static void awaitUntil(BooleanSupplier condition) {
    await().atMost(Duration.ofSeconds(20)).until(condition::getAsBoolean);
  }

  private List<TelemetryFrames> watch(int count, WatchTelemetryRequest request) {
    List<TelemetryFrames> watchers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TelemetryFrames frames = new TelemetryFrames(false);
      admin.authed(TelemetryServiceGrpc.newStub(admin.channel())).watchTelemetry(request, frames);
      watchers.add(frames);
    }
    return watchers;
  }

  private static void serve(RouteRecorder route, int requests) {
    for (int i = 0; i < requests; i++) {
      route.requestStarted();
      route.requestCompleted(200, 2 * MS);
    }
  }

  @Test
  void watchersWithTheSameIntervalAndFilterGetIdenticalFramesEncodedOncePerTick() {
    RouteRecorder users = hub.route("users", "/users");
    List<TelemetryFrames> watchers = watch(6, every(Duration.ofMillis(100)));
    awaitUntil(() -> hub.watcherCount() == 6);

    for (int t = 1; t <= 4; t++) {
      serve(users, t);
      tick();
      int frames = t;
      awaitUntil(() -> watchers.stream().allMatch(w -> w.frames.size() == frames));
    }

    assertThat(encoded()).as("bodies encoded for 6 watchers over 4 ticks").isEqualTo(4);
    List<TelemetryFrame> first = watchers.get(0).frames;
    assertThat(first).extracting(TelemetryFrame::getSequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(first).extracting(f -> f.getRoutes(0).getRequests())
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(first).allSatisfy(f -> {
      assertThat(f.getConfigVersion()).isEqualTo(7);
      assertThat(f.getCoalescedFrames()).isZero();
    });
    for (TelemetryFrames other : watchers) {
      assertThat(other.frames).containsExactlyElementsOf(first);
    }
  }

  @Test
  void differentFiltersAndHistogramChoicesEachGetTheirOwnFrame() {
    serve(hub.route("users", "/users"), 3);
    serve(hub.route("orders", "/orders"), 5);
    List<TelemetryFrames> users = watch(3, WatchTelemetryRequest.newBuilder()
        .mergeFrom(every(Duration.ofMillis(100))).setRoutePrefix("/users").build());
    List<TelemetryFrames> orders = watch(2, WatchTelemetryRequest.newBuilder()
        .mergeFrom(every(Duration.ofMillis(100))).addRouteIds("orders").build());
    List<TelemetryFrames> lean = watch(2, WatchTelemetryRequest.newBuilder()
        .mergeFrom(every(Duration.ofMillis(100))).setRoutePrefix("/users").setOmitHistograms(true)
        .build());
    awaitUntil(() -> hub.watcherCount() == 7);

    tick();
    List<TelemetryFrames> all = new ArrayList<>(users);
    all.addAll(orders);
    all.addAll(lean);
    awaitUntil(() -> all.stream().allMatch(w -> w.frames.size() == 1));

    assertThat(encoded()).as("one body per filter and histogram choice").isEqualTo(3);
    assertThat(users).allSatisfy(w -> assertThat(w.frames.get(0).getRoutesList())
        .singleElement().satisfies(route -> {
          assertThat(route.getRouteId()).isEqualTo("users");
          assertThat(route.getRequests()).isEqualTo(3);
          assertThat(route.hasHistogram()).isTrue();
        }));
    assertThat(orders).allSatisfy(w -> assertThat(w.frames.get(0).getRoutesList())
        .extracting(RouteTelemetry::getRouteId, RouteTelemetry::getRequests)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", 5L)));
    assertThat(lean).allSatisfy(w -> assertThat(w.frames.get(0).getRoutesList())
        .singleElement().satisfies(route -> {
          assertThat(route.getRouteId()).isEqualTo("users");
          assertThat(route.hasHistogram()).isFalse();
        }));
  }

  @Test
  void watchersWithDifferentIntervalsShareTheTicksWhereBothAreDue() {
    serve(hub.route("users", "/users"), 1);
    List<TelemetryFrames> fast = watch(2, every(Duration.ofMillis(100)));
    List<TelemetryFrames> slow = watch(2, every(Duration.ofMillis(200)));
    awaitUntil(() -> hub.watcherCount() == 4);

    for (int t = 1; t <= 4; t++) {
      tick();
      int fastFrames = t;
      int slowFrames = t / 2;
      awaitUntil(() -> fast.stream().allMatch(w -> w.frames.size() == fastFrames)
          && slow.stream().allMatch(w -> w.frames.size() == slowFrames));
    }

    // Each tick one 100 ms body; every second tick also one 200 ms body.
    assertThat(encoded()).isEqualTo(6);
    assertThat(slow.get(0).frames).extracting(f -> f.getInterval().getNanos())
        .containsExactly(200_000_000, 200_000_000);
    assertThat(slow.get(1).frames).containsExactlyElementsOf(slow.get(0).frames);
  }

  @Test
  void stalledWatcherIsCoalescedAndCostsNoEncodingWhileItsGroupKeepsReceiving() throws Exception {
    List<RouteRecorder> routes = new ArrayList<>();
    for (int r = 0; r < 100; r++) {
      routes.add(hub.route("route-" + r, "/r/" + r));
    }
    // A small flow-control window makes the unread stream back up after a few frames.
    ManagedChannel smallWindow = NettyChannelBuilder.forAddress("127.0.0.1", admin.port())
        .usePlaintext().flowControlWindow(64 * 1024).build();
    try {
      TelemetryFrames stalled = new TelemetryFrames(true);
      admin.authed(TelemetryServiceGrpc.newStub(smallWindow))
          .watchTelemetry(every(Duration.ofMillis(100)), stalled);
      List<TelemetryFrames> healthy = watch(3, every(Duration.ofMillis(100)));
      awaitUntil(() -> hub.watcherCount() == 4);

      long recorded = 0;
      for (int t = 0; t < 200 && coalesced() == 0; t++) {
        serveAndTickUntilReceived(routes, healthy, ++recorded);
      }
      assertThat(coalesced()).as("frames coalesced for the stalled watcher").isPositive();
      double encodedWhileStalled = encoded();
      for (int t = 0; t < 10; t++) {
        serveAndTickUntilReceived(routes, healthy, ++recorded);
      }
      assertThat(encoded() - encodedWhileStalled)
          .as("bodies encoded in 10 ticks with a stalled watcher").isEqualTo(10);
      assertThat(stalled.frames).isEmpty();

      stalled.call.request(10_000);
      long total = recorded;
      tickUntil(() -> stalled.requestsOf("route-7") == total);
      assertThat(stalled.frames).anySatisfy(f -> assertThat(f.getCoalescedFrames()).isPositive());
      for (TelemetryFrames watcher : healthy) {
        assertThat(watcher.requestsOf("route-7")).isEqualTo(total);
        assertThat(watcher.frames).allSatisfy(f -> assertThat(f.getCoalescedFrames()).isZero());
      }
    } finally {
      smallWindow.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** One request per route, one tick; returns once every healthy watcher has seen them all. */
  private void serveAndTickUntilReceived(List<RouteRecorder> routes,
      List<TelemetryFrames> healthy, long recorded) {
    for (RouteRecorder route : routes) {
      serve(route, 1);
    }
    tick();
    awaitUntil(() -> healthy.stream().allMatch(w -> w.requestsOf("route-7") == recorded));
  }

  /** Ticks without new traffic until the condition holds (a coalesced frame comes on a tick). */
  private void tickUntil(BooleanSupplier condition) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
      if (condition.getAsBoolean()) {
        return true;
      }
      tick();
      return false;
    });
  }

  @Test
  void boundServiceOffersEveryMethodOfTheProtoServiceUnderTheSameNames() {
    TelemetryGrpcService service = new TelemetryGrpcService(hub, FrameExtras.NONE, admin.metrics);
    assertThat(service.bindService().getServiceDescriptor().getMethods())
        .extracting(MethodDescriptor::getFullMethodName)
        .containsExactlyInAnyOrderElementsOf(TelemetryServiceGrpc.getServiceDescriptor()
            .getMethods().stream().map(MethodDescriptor::getFullMethodName).toList());
  }
}
