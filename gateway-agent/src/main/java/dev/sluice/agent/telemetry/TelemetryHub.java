package dev.sluice.agent.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the per-route {@link RouteRecorder}s and one ticker thread that, every
 * {@value #TICK_MILLIS} ms, swaps each route's interval histogram, hands the tick to the watchers
 * (building each {@link FrameBody} once for all watchers due with the same filter) and feeds the
 * {@link HistoryRing}. Recording never waits for the ticker or for a watcher; a
 * watcher whose sink is not ready gets its frames coalesced. Get a route's recorder when the route
 * table is built, not per request.
 */
public final class TelemetryHub implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TelemetryHub.class);

  public static final long TICK_MILLIS = 100;
  /** The shortest interval a watcher may ask for. */
  public static final Duration MIN_WATCH_INTERVAL = Duration.ofMillis(TICK_MILLIS);

  private final Clock clock;
  private final HistoryRing history;
  private final Map<String, RouteRecorder> recorders = new ConcurrentHashMap<>();
  private final List<TelemetryWatch> watchers = new CopyOnWriteArrayList<>();
  private LongConsumer coalescedListener = frames -> { };
  private @Nullable ScheduledExecutorService ticker;

  // Guarded by this (the ticker thread, or a test calling tick()).
  private long tickNumber;
  // Written under this; read by watch() without waiting for a tick in progress.
  private volatile Instant lastTickEnd;

  public TelemetryHub(Clock clock, HistoryRing history) {
    this.clock = clock;
    this.history = history;
    this.lastTickEnd = clock.instant();
  }

  /**
   * The recorder of a route, created on first use. A route whose path pattern changed gets a new
   * recorder (counts start again).
   */
  public RouteRecorder route(String routeId, String pathPattern) {
    return recorders.compute(routeId, (id, existing) ->
        existing != null && existing.pathPattern().equals(pathPattern)
            ? existing : new RouteRecorder(id, pathPattern));
  }

  /** Forgets a deleted route's recorder; its history stays until it ages out. */
  public void removeRoute(String routeId) {
    recorders.remove(routeId);
  }

  public Collection<RouteRecorder> routes() {
    return recorders.values();
  }

  public HistoryRing history() {
    return history;
  }

  /** Called with the number of frames coalesced at each tick where some were (for metrics). */
  public void onCoalesced(LongConsumer listener) {
    this.coalescedListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Starts watching: frames of the matching routes every {@code interval} (at least
   * {@link #MIN_WATCH_INTERVAL}) go to {@code sink} from the ticker thread. The first frame covers
   * the whole tick in progress (its counts are not split by time), so it may start a little before
   * this call.
   */
  public TelemetryWatch watch(Duration interval, RouteFilter filter, FrameSink sink) {
    if (interval.compareTo(MIN_WATCH_INTERVAL) < 0) {
      throw new IllegalArgumentException("interval must be at least " + MIN_WATCH_INTERVAL.toMillis()
          + " ms, was " + interval.toMillis() + " ms");
    }
    TelemetryWatch watch = new TelemetryWatch(this, interval, filter, sink, lastTickEnd);
    watchers.add(watch);
    return watch;
  }

  public int watcherCount() {
    return watchers.size();
  }

  void remove(TelemetryWatch watch) {
    watchers.remove(watch);
  }

  /** Starts the ticker thread. */
  public synchronized void start() {
    if (ticker != null) {
      return;
    }
    ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-telemetry-ticker");
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleAtFixedRate(this::tickSafely, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * One tick now: samples every route, feeds history, serves the watchers. The ticker thread calls
   * this; tests with an injected clock call it directly instead of starting the ticker.
   */
  public synchronized void tick() {
    Instant end = clock.instant();
    Map<String, RouteSample> active = new HashMap<>();
    for (RouteRecorder recorder : recorders.values()) {
      RouteTraffic traffic = recorder.sample();
      if (!traffic.isIdle()) {
        active.put(recorder.routeId(), new RouteSample(recorder.pathPattern(), traffic));
      }
    }
    tickNumber++;
    TelemetryTick tick = new TelemetryTick(tickNumber, tickNumber, lastTickEnd, end, active);
    lastTickEnd = end;
    history.accept(tick);
    FrameCache cache = new FrameCache(tickNumber, recorders.values());
    long coalesced = 0;
    for (TelemetryWatch watch : watchers) {
      if (watch.isClosed()) {
        watchers.remove(watch);
        continue;
      }
      try {
        coalesced += watch.onTick(tick, cache);
      } catch (RuntimeException e) {
        log.warn("Telemetry watcher failed; closing it", e);
        watch.close();
      }
    }
    if (coalesced > 0) {
      coalescedListener.accept(coalesced);
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A failed tick must not end the scheduled task (which would stop all telemetry).
      log.error("Telemetry tick failed", e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = ticker;
      ticker = null;
    }
    if (running != null) {
      running.shutdownNow();
    }
    for (TelemetryWatch watch : watchers) {
      watch.close();
    }
  }
}
