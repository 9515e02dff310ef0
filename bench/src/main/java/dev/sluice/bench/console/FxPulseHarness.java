package dev.sluice.bench.console;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.LatencyHistogram;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.RegistryHealth;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.StatusClassCounts;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.agent.telemetry.LatencyBuckets;
import dev.sluice.console.GatewayView;
import dev.sluice.console.GatewayViewModel;
import dev.sluice.console.connection.Change;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayControl;
import dev.sluice.console.connection.UiBatch;
import dev.sluice.console.connection.UiUpdateCoalescer;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.console.history.HistoryLoader;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;

/**
 * Feeds N routes (default 10,000) into the real console views — {@link GatewayViewModel} applied
 * through the console's own {@link UiUpdateCoalescer}, shown by {@link GatewayView} in a window —
 * and reports how long the FX thread is busy per pulse, how long applying a frame takes, and the
 * process's RSS once 15 minutes of per-route history are held.
 *
 * <p>Phases: (1) the snapshot, (2) {@code --history} seconds of frames applied back to back (time
 * compressed) so every route holds full history, then RSS, (3) {@code --seconds} of live frames at
 * 1 Hz while pulses are timed, (4) with {@code --agent-hours H} (0 to skip), the agent's history of H
 * hours for every route loaded as attach does it ({@link HistoryLoader} streaming from a gRPC server
 * on loopback), then RSS again. Frames are prepared off the FX thread as the console's coalescer
 * does. Runs headless (Monocle) unless {@code --display} is given.
 */
public final class FxPulseHarness {
  private static final long[] BOUNDS = LatencyBuckets.boundsMicros();

  private final int routes;
  private final int services;
  private final SplittableRandom random = new SplittableRandom(42);
  private final List<String> routeIds = new ArrayList<>();
  private final List<String> routeServices = new ArrayList<>();

  private FxPulseHarness(int routes) {
    this.routes = routes;
    this.services = Math.max(1, routes / 200);
  }

  public static void main(String[] args) throws Exception {
    int routes = intArg(args, "--routes", 10_000);
    int seconds = intArg(args, "--seconds", 60);
    int history = intArg(args, "--history", 900);
    int agentHours = intArg(args, "--agent-hours", 6);
    if (!Arrays.asList(args).contains("--display")) {
      System.setProperty("glass.platform", "Monocle");
      System.setProperty("monocle.platform", "Headless");
      System.setProperty("prism.order", "sw");
      System.setProperty("headless.geometry", "1280x800-32");
      System.setProperty("testfx.headless", "true");
    }
    new FxPulseHarness(routes).run(seconds, history, agentHours);
    Platform.exit();
    System.exit(0);
  }

  private void run(int liveSeconds, int historySeconds, int agentHours) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();

    Snapshot snapshot = snapshot();
    long[] applyNanos = new long[1 << 16];
    int[] applied = new int[1];
    boolean[] measuring = new boolean[1];
    GatewayViewModel[] vm = new GatewayViewModel[1];
    UiUpdateCoalescer toUi = UiUpdateCoalescer.onFxThread(batch -> vm[0].prepare(batch), batch -> {
      long t0 = System.nanoTime();
      vm[0].apply(batch);
      if (measuring[0] && !batch.frames().isEmpty() && applied[0] < applyNanos.length) {
        applyNanos[applied[0]++] = System.nanoTime() - t0;
      }
    });
    PulseClock pulses = new PulseClock();
    CountDownLatch shown = new CountDownLatch(1);
    Stage[] stage = new Stage[1];
    Platform.runLater(() -> {
      vm[0] = new GatewayViewModel("bench:0", new NoControl(), Clock.systemUTC());
      GatewayView view = new GatewayView(vm[0], change -> { });
      Scene scene = new Scene((javafx.scene.Parent) view.node(), 1280, 800);
      scene.getStylesheets().addAll(
          FxPulseHarness.class.getResource("/dev/sluice/theme/base.css").toExternalForm(),
          FxPulseHarness.class.getResource("/dev/sluice/theme/dark.css").toExternalForm());
      stage[0] = new Stage();
      stage[0].setScene(scene);
      stage[0].show();
      pulses.install(scene);
      shown.countDown();
    });
    shown.await();

    long t0 = System.nanoTime();
    toUi.onState(new ConnectionState(ConnectionState.Phase.LIVE, Instant.now(), "bench"));
    toUi.onAttached(AgentInfo.newBuilder().setAgentId("bench-agent").setCluster("bench").build(),
        Session.newBuilder().setPrincipal("bench").setRole(Role.ROLE_OPERATOR).build());
    toUi.onSnapshot(snapshot);
    awaitFx();
    System.out.printf(Locale.ROOT, "snapshot of %,d routes applied in %.0f ms%n", routes,
        (System.nanoTime() - t0) / 1e6);

    Instant start = Instant.now().minusSeconds(historySeconds);
    t0 = System.nanoTime();
    for (int s = 0; s < historySeconds; s++) {
      TelemetryFrame frame = frame(start.plusSeconds(s), s);
      UiBatch ready = vm[0].prepare(new UiBatch(null, null, null, List.of(frame), List.of()));
      CountDownLatch done = new CountDownLatch(1);
      Platform.runLater(() -> {
        vm[0].apply(ready);
        done.countDown();
      });
      done.await();
    }
    awaitFx();
    System.out.printf(Locale.ROOT, "%d s of history applied in %.1f s (%.1f ms per frame)%n",
        historySeconds, (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e6 / historySeconds);
    selectBusiestRoute(stage[0]);
    System.gc();
    Thread.sleep(1000);
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "after history: RSS %d MiB, heap used %d MiB (max %d MiB)%n",
        rssKib() / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);

    pulses.reset();
    measuring[0] = true;
    Instant live = Instant.now();
    for (int s = 0; s < liveSeconds; s++) {
      long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      toUi.onTelemetry(frame(live.plusSeconds(s), historySeconds + s));
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
    measuring[0] = false;
    awaitFx();
    pulses.report(liveSeconds);
    report("frame apply (vm.apply of one 1 Hz frame)", Arrays.copyOf(applyNanos, applied[0]));
    System.gc();
    Thread.sleep(500);
    System.out.printf(Locale.ROOT, "end: RSS %d MiB, heap used %d MiB%n", rssKib() / 1024,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
    if (agentHours > 0) {
      loadAgentHistory(vm[0], agentHours);
    }
  }

  /**
   * Serves {@code hours} of 10 s steps for every route from a gRPC server on loopback, chunked as
   * the agent chunks them, and loads them with the console's own {@link HistoryLoader}.
   */
  private void loadAgentHistory(GatewayViewModel vm, int hours) throws Exception {
    Duration resolution = Duration.ofSeconds(10);
    Duration retention = Duration.ofHours(hours);
    Instant now = Instant.now();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new HistoryServer(now, retention, resolution))
        .addService(new NoEvents())
        .build().start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext().maxInboundMessageSize(16 << 20).build();
    ExecutorService reads = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch loaded = new CountDownLatch(1);
      long t0 = System.nanoTime();
      Platform.runLater(() -> {
        vm.history().configure(resolution, retention);
        vm.history().statusProperty().addListener((o, a, b) -> {
          if (b.startsWith("history loaded") || b.startsWith("history not loaded")) {
            loaded.countDown();
          }
        });
        HistoryLoader.Source source = new HistoryLoader.Source() {
          @Override
          public <T> CompletableFuture<T> read(java.util.function.Function<Channel, T> call) {
            return CompletableFuture.supplyAsync(() -> call.apply(channel), reads);
          }
        };
        new HistoryLoader(source, Platform::runLater, vm.history(), Clock.systemUTC()).load();
      });
      loaded.await();
      String status = onFx(() -> vm.history().statusProperty().get());
      System.out.printf(Locale.ROOT, "agent history (%d h × %,d routes at 10 s) loaded in %.1f s: %s%n",
          hours, routes, (System.nanoTime() - t0) / 1e9, status);
      System.gc();
      Thread.sleep(1000);
      Runtime rt = Runtime.getRuntime();
      System.out.printf(Locale.ROOT, "after agent history: RSS %d MiB, heap used %d MiB (max %d MiB)%n",
          rssKib() / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
      String busiest = routeIds.get(0);
      long t1 = System.nanoTime();
      int steps = onFx(() -> vm.history().route(busiest).all().size());
      System.out.printf(Locale.ROOT, "one route's %d steps read back for a chart in %.1f ms%n", steps,
          (System.nanoTime() - t1) / 1e6);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      reads.shutdownNow();
    }
  }

  private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        out.complete(read.call());
      } catch (Exception e) {
        out.completeExceptionally(e);
      }
    });
    return out.get();
  }

  /** The agent's history service: every route busy in every step, about 20,000 points a chunk. */
  private final class HistoryServer extends TelemetryServiceGrpc.TelemetryServiceImplBase {
    private final Instant now;
    private final Duration retention;
    private final Duration resolution;

    HistoryServer(Instant now, Duration retention, Duration resolution) {
      this.now = now;
      this.retention = retention;
      this.resolution = resolution;
    }

    @Override
    public void getTelemetryHistory(GetTelemetryHistoryRequest request,
        StreamObserver<TelemetryHistoryChunk> plain) {
      ServerCallStreamObserver<TelemetryHistoryChunk> out =
          (ServerCallStreamObserver<TelemetryHistoryChunk>) plain;
      long res = resolution.getSeconds();
      long first = (now.getEpochSecond() - retention.getSeconds()) / res * res;
      long last = now.getEpochSecond() / res * res;
      int[] next = {0};
      boolean[] done = {false};
      SplittableRandom rnd = new SplittableRandom(7);
      Runnable drain = () -> {
        synchronized (next) {
          while (!done[0] && out.isReady()) {
            TelemetryHistoryChunk.Builder chunk = TelemetryHistoryChunk.newBuilder()
                .setResolution(com.google.protobuf.Duration.newBuilder().setSeconds(res));
            for (long b : BOUNDS) {
              chunk.addLatencyBoundsMicros(b);
            }
            int points = 0;
            while (points < 20_000 && next[0] < routes) {
              int i = next[0]++;
              dev.sluice.admin.v1.RouteHistory.Builder route =
                  dev.sluice.admin.v1.RouteHistory.newBuilder().setRouteId(routeIds.get(i));
              for (long t = first; t < last; t += res) {
                long requests = i % 10 == 0 ? 500 + rnd.nextInt(2000) : 1 + rnd.nextInt(60);
                long errors = rnd.nextInt((int) (requests / 20) + 1) / 2;
                int centre = 6 + i % 8;
                route.addPoints(HistoryPoint.newBuilder()
                    .setStart(Timestamp.newBuilder().setSeconds(t))
                    .setRequests(requests)
                    .setStatuses(StatusClassCounts.newBuilder().setSuccess(requests - errors)
                        .setServerError(errors))
                    .setLatency(Percentiles.newBuilder()
                        .setP50Micros(BOUNDS[centre] - rnd.nextInt(50))
                        .setP99Micros(BOUNDS[centre + 3] + rnd.nextInt(5_000))));
                points++;
              }
              chunk.addRoutes(route);
            }
            boolean lastChunk = next[0] >= routes;
            out.onNext(chunk.setLast(lastChunk).build());
            if (lastChunk) {
              done[0] = true;
              out.onCompleted();
            }
          }
        }
      };
      out.setOnReadyHandler(drain);
      drain.run();
    }
  }

  /** The agent's event list: empty. */
  private static final class NoEvents extends EventServiceGrpc.EventServiceImplBase {
    @Override
    public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> out) {
      out.onNext(ListEventsResponse.getDefaultInstance());
      out.onCompleted();
    }
  }

  /** Selects the busiest route so the detail pane (histograms, p50/p99 chart) redraws each frame. */
  private void selectBusiestRoute(Stage stage) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Platform.runLater(() -> {
      @SuppressWarnings("unchecked")
      TreeTableView<RouteRow> tree = (TreeTableView<RouteRow>) stage.getScene().lookup("#route-tree");
      TreeItem<RouteRow> item = tree.getRoot();
      while (!item.getChildren().isEmpty()) {
        item = item.getChildren().get(0);
      }
      tree.getSelectionModel().select(item);
      done.countDown();
    });
    done.await();
    awaitFx();
  }

  private static void awaitFx() throws InterruptedException {
    Thread.sleep(300);
    CountDownLatch idle = new CountDownLatch(1);
    Platform.runLater(idle::countDown);
    idle.await();
  }

  private Snapshot snapshot() {
    Snapshot.Builder s = Snapshot.newBuilder().setConfigVersion(1);
    for (int i = 0; i < services; i++) {
      String name = "svc-" + i;
      s.addServices(Service.newBuilder().setName(name)
          .addInstances(instance(name, 1)).addInstances(instance(name, 2)));
      s.addBreakers(Breaker.newBuilder().setService(name)
          .setComputedState(BreakerState.BREAKER_STATE_CLOSED)
          .setOverride(BreakerOverride.BREAKER_OVERRIDE_NONE));
    }
    String[] verbs = {"GET", "POST", "PUT", "DELETE"};
    for (int i = 0; i < routes; i++) {
      int service = i % services;
      int resource = i / services;
      String id = "r-" + i;
      routeIds.add(id);
      routeServices.add("svc-" + service);
      s.addRoutes(Route.newBuilder().setId(id)
          .setMatch(RouteMatch.newBuilder()
              .setPath("/api/v" + (1 + resource % 3) + "/svc-" + service + "/res-" + resource + "/:id")
              .addMethods(verbs[i % verbs.length]))
          .setService("svc-" + service));
    }
    return s.build();
  }

  private static Instance instance(String service, int n) {
    return Instance.newBuilder().setId(service + "-" + n).setService(service).setHost("10.0.0." + n)
        .setPort(8080).setRegistryHealth(RegistryHealth.REGISTRY_HEALTH_PASSING).setServing(true)
        .build();
  }

  /** One second of traffic on every route: a skewed request count and a log-normal-ish latency mix. */
  private TelemetryFrame frame(Instant at, long sequence) {
    TelemetryFrame.Builder f = TelemetryFrame.newBuilder()
        .setSequence(sequence)
        .setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
        .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .setConfigVersion(1);
    for (long b : BOUNDS) {
      f.addLatencyBoundsMicros(b);
    }
    long[] counts = new long[BOUNDS.length + 1];
    for (int i = 0; i < routes; i++) {
      long requests = i % 10 == 0 ? 50 + random.nextInt(200) : random.nextInt(6);
      Arrays.fill(counts, 0);
      int centre = 6 + i % 8;
      for (long r = 0; r < requests; r++) {
        int bucket = Math.max(0, Math.min(counts.length - 1, centre + (int) Math.round(random.nextGaussian() * 1.5)));
        counts[bucket]++;
      }
      LatencyHistogram.Builder h = LatencyHistogram.newBuilder();
      for (long c : counts) {
        h.addCounts(c);
      }
      long errors = requests == 0 ? 0 : random.nextInt((int) Math.max(1, requests / 20) + 1) / 2;
      f.addRoutes(RouteTelemetry.newBuilder()
          .setRouteId(routeIds.get(i))
          .setRequests(requests)
          .setStatuses(StatusClassCounts.newBuilder().setSuccess(requests - errors).setServerError(errors))
          .setHistogram(h)
          .setLatency(Percentiles.newBuilder()
              .setP50Micros(BOUNDS[Math.min(BOUNDS.length - 1, centre)])
              .setP99Micros(BOUNDS[Math.min(BOUNDS.length - 1, centre + 3)])));
    }
    return f.build();
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static void report(String what, long[] nanos) {
    if (nanos.length == 0) {
      System.out.println(what + ": no samples");
      return;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%s: n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
        sorted.length, at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static long at(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /**
   * Times each pulse from its animation phase (an {@link AnimationTimer} runs first in a pulse) to
   * the end of the scene's layout pass, and the gaps between pulses, which also grow when a
   * {@code runLater} task (a batch being applied) holds the FX thread.
   */
  private static final class PulseClock {
    private final long[] busy = new long[1 << 16];
    private final long[] gaps = new long[1 << 16];
    private int busyCount;
    private int gapCount;
    private long pulseStart;
    private long lastStart;

    void install(Scene scene) {
      new AnimationTimer() {
        @Override
        public void handle(long now) {
          long t = System.nanoTime();
          if (lastStart != 0 && gapCount < gaps.length) {
            gaps[gapCount++] = t - lastStart;
          }
          lastStart = t;
          pulseStart = t;
        }
      }.start();
      scene.addPostLayoutPulseListener(() -> {
        if (pulseStart != 0 && busyCount < busy.length) {
          busy[busyCount++] = System.nanoTime() - pulseStart;
        }
      });
    }

    void reset() throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      Platform.runLater(() -> {
        busyCount = 0;
        gapCount = 0;
        done.countDown();
      });
      done.await();
    }

    void report(int seconds) throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      Platform.runLater(() -> {
        System.out.printf(Locale.ROOT, "live %d s at 1 Hz: %d pulses%n", seconds, busyCount);
        FxPulseHarness.report("pulse (animation start to end of layout)", Arrays.copyOf(busy, busyCount));
        FxPulseHarness.report("gap between pulse starts (60 Hz = 16.7 ms)", Arrays.copyOf(gaps, gapCount));
        done.countDown();
      });
      done.await();
    }
  }

  /** The harness changes nothing: every mutation is refused. */
  private static final class NoControl implements GatewayControl {
    private static CompletableFuture<ChangeResult> refused() {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("bench"));
    }

    @Override
    public CompletableFuture<ChangeResult> tripBreaker(String service, Change change) {
      return refused();
    }

    @Override
    public CompletableFuture<ChangeResult> forceCloseBreaker(String service, Change change) {
      return refused();
    }

    @Override
    public CompletableFuture<ChangeResult> resetBreaker(String service, Change change) {
      return refused();
    }

    @Override
    public CompletableFuture<ChangeResult> drainInstance(String service, String instanceId, Change change) {
      return refused();
    }

    @Override
    public CompletableFuture<ChangeResult> undrainInstance(String service, String instanceId, Change change) {
      return refused();
    }
  }
}
