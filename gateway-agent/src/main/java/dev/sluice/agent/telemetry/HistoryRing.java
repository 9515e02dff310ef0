package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-route summaries at a fixed resolution (10 s) over a fixed retention (6 h, 2,160 steps), fed
 * by the {@link TelemetryHub}'s ticks, bounded in memory.
 *
 * <p>Layout: each route's points are varint-encoded into blocks of {@value #POINTS_PER_BLOCK};
 * a point is one flag byte, the request count, the p50/p90/p99/max latencies as indexes on a 1 %
 * log scale (so they come back within ±0.5 %) stored as deltas from the previous point (mostly
 * one byte each), and only where non-zero: other status classes, error causes, rate-limited
 * count, and the number of idle steps skipped before it. A busy route costs about 7–8 bytes a
 * step, ~20 KB for 6 hours with block overhead (measured by {@code HistoryRingTest}); an idle step
 * costs nothing. Bucket counts are not kept (they would triple the size).
 *
 * <p>Bound: {@code maxBytes} (64 MiB by default) caps the sealed blocks; when it is reached the
 * oldest blocks are dropped first, so under that load retention shrinks rather than memory grows.
 * At ~20 KB per always-busy route the default keeps the full 6 h for ~3,300 such routes; 10,000
 * routes that are busy a third of the time fit too, and 10,000 always-busy routes keep ~2 h.
 * Open blocks (at most one per route, ≤ 60 points) come on top. {@link #estimatedBytes()}
 * reports the current figure.
 */
public final class HistoryRing {

  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(10);
  public static final int DEFAULT_STEPS = 2_160;
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  static final int POINTS_PER_BLOCK = 60;
  /** Object headers, fields, array header and deque slots of one block. */
  static final int BLOCK_OVERHEAD_BYTES = 96;
  /** Map entry, route id and path strings, deque of one route. */
  static final int ROUTE_OVERHEAD_BYTES = 256;

  private static final int HAS_REQUESTS = 1;
  private static final int HAS_STATUSES = 2;
  private static final int HAS_ERRORS = 4;
  private static final int HAS_RATE_LIMITED = 8;
  private static final int HAS_LATENCY = 16;
  private static final int HAS_SKIP = 32;
  private static final double LOG_STEP = Math.log(1.01);

  private final long resolutionMillis;
  private final int steps;
  private final long maxBytes;

  // Guarded by this; written by the ticker thread, read by admin calls.
  private final Map<String, RouteRing> routes = new HashMap<>();
  private final ArrayDeque<Block> sealed = new ArrayDeque<>();
  private long sealedBytes;
  private long currentStep = Long.MIN_VALUE;
  private long lastCompletedStep = Long.MIN_VALUE;
  private final Map<String, RouteSample> accumulating = new HashMap<>();

  public HistoryRing(Duration resolution, int steps, long maxBytes) {
    if (resolution.toMillis() < 1 || steps < 1 || maxBytes < 0) {
      throw new IllegalArgumentException("resolution, steps and maxBytes must be positive");
    }
    this.resolutionMillis = resolution.toMillis();
    this.steps = steps;
    this.maxBytes = maxBytes;
  }

  /** 10 s × 2,160 steps (6 h) within 64 MiB. */
  public static HistoryRing standard() {
    return new HistoryRing(DEFAULT_RESOLUTION, DEFAULT_STEPS, DEFAULT_MAX_BYTES);
  }

  public Duration resolution() {
    return Duration.ofMillis(resolutionMillis);
  }

  public Duration retention() {
    return Duration.ofMillis(resolutionMillis * steps);
  }

  /** Adds a tick's traffic to its step; a tick in a later step completes the current one. */
  synchronized void accept(TelemetryTick tick) {
    long step = Math.floorDiv(tick.start().toEpochMilli(), resolutionMillis);
    if (currentStep != Long.MIN_VALUE && step > currentStep) {
      completeStep();
    }
    if (step > currentStep) {
      currentStep = step;
    }
    for (Map.Entry<String, RouteSample> entry : tick.routes().entrySet()) {
      accumulating.merge(entry.getKey(), entry.getValue(), RouteSample::plus);
    }
  }

  /** Completes the step in progress now (the hub does this on close; tests use it). */
  synchronized void flush() {
    if (currentStep != Long.MIN_VALUE) {
      completeStep();
    }
  }

  private void completeStep() {
    for (Map.Entry<String, RouteSample> entry : accumulating.entrySet()) {
      RouteTraffic traffic = entry.getValue().traffic();
      if (traffic.isIdle()) {
        continue;
      }
      RouteRing ring = routes.computeIfAbsent(entry.getKey(), RouteRing::new);
      ring.pathPattern = entry.getValue().pathPattern();
      ring.append(currentStep, traffic);
    }
    accumulating.clear();
    lastCompletedStep = currentStep;
    long oldestKept = currentStep - steps + 1;
    while (!sealed.isEmpty()
        && (sealed.peekFirst().lastStep < oldestKept || sealedBytes > maxBytes)) {
      evictOldest();
    }
    for (RouteRing ring : routes.values()) {
      if (ring.open != null && ring.open.lastStep < oldestKept) {
        ring.open = null;
      }
    }
    routes.values().removeIf(RouteRing::isEmpty);
  }

  private void evictOldest() {
    Block block = sealed.pollFirst();
    sealedBytes -= block.bytes();
    RouteRing ring = routes.get(block.routeId);
    if (ring != null) {
      ring.blocks.remove(block);
    }
  }

  /**
   * The points of every route matching the filter whose step starts in {@code [from, to)} (null:
   * unbounded), routes in id order. Only completed steps are included. Materializes everything;
   * for large answers use {@link #reader}.
   */
  public List<RouteHistory> read(@Nullable Instant from, @Nullable Instant to, RouteFilter filter) {
    List<RouteHistory> result = new ArrayList<>();
    reader(from, to, filter).forEachRemaining(result::add);
    return result;
  }

  /**
   * Like {@link #read}, but decodes one route at a time as the iterator advances, so that an
   * answer over thousands of routes never sits in memory decoded all at once. The ring is only
   * locked while the reader is made (sealed blocks are immutable and shared; open ones copied).
   */
  public Iterator<RouteHistory> reader(
      @Nullable Instant from, @Nullable Instant to, RouteFilter filter) {
    TreeMap<String, List<Block>> snapshot = new TreeMap<>();
    Map<String, String> paths = new HashMap<>();
    long oldestKept;
    synchronized (this) {
      oldestKept = lastCompletedStep == Long.MIN_VALUE ? Long.MIN_VALUE : lastCompletedStep - steps;
      for (RouteRing ring : routes.values()) {
        if (!filter.matches(ring.routeId, ring.pathPattern)) {
          continue;
        }
        List<Block> blocks = new ArrayList<>(ring.blocks);
        if (ring.open != null) {
          blocks.add(ring.open.copy());
        }
        snapshot.put(ring.routeId, blocks);
        paths.put(ring.routeId, ring.pathPattern);
      }
    }
    Iterator<Map.Entry<String, List<Block>>> routesLeft = snapshot.entrySet().iterator();
    return new Iterator<>() {
      private @Nullable RouteHistory next = advance();

      private @Nullable RouteHistory advance() {
        while (routesLeft.hasNext()) {
          Map.Entry<String, List<Block>> entry = routesLeft.next();
          List<HistoryPoint> points = new ArrayList<>();
          for (Block block : entry.getValue()) {
            block.decode(resolutionMillis, oldestKept, from, to, points);
          }
          if (!points.isEmpty()) {
            return new RouteHistory(entry.getKey(), paths.get(entry.getKey()), points);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public RouteHistory next() {
        RouteHistory current = next;
        if (current == null) {
          throw new NoSuchElementException();
        }
        next = advance();
        return current;
      }
    };
  }

  /** Bytes held by the ring: encoded points plus the per-block and per-route overheads. */
  public synchronized long estimatedBytes() {
    long bytes = sealedBytes + (long) routes.size() * ROUTE_OVERHEAD_BYTES;
    for (RouteRing ring : routes.values()) {
      if (ring.open != null) {
        bytes += ring.open.bytes();
      }
    }
    return bytes;
  }

  public synchronized int routeCount() {
    return routes.size();
  }

  private final class RouteRing {
    final String routeId;
    String pathPattern = "";
    long lastStep = Long.MIN_VALUE;
    final ArrayDeque<Block> blocks = new ArrayDeque<>();
    @Nullable Block open;

    RouteRing(String routeId) {
      this.routeId = routeId;
    }

    void append(long step, RouteTraffic traffic) {
      if (step <= lastStep) {
        return; // the step was completed early by flush(); a point per step at most
      }
      lastStep = step;
      if (open == null) {
        open = new Block(routeId, step);
      }
      open.append(step, traffic);
      if (open.points == POINTS_PER_BLOCK) {
        open.seal();
        blocks.addLast(open);
        sealed.addLast(open);
        sealedBytes += open.bytes();
        open = null;
      }
    }

    boolean isEmpty() {
      return blocks.isEmpty() && open == null;
    }
  }

  /** Up to {@value #POINTS_PER_BLOCK} consecutive points of one route, varint-encoded. */
  private static final class Block {
    final String routeId;
    final long firstStep;
    long lastStep;
    int points;
    byte[] data;
    int length;
    /** Log indexes of the previous point's p50, p90, p99, max (appending only). */
    final long[] previousIndexes = new long[4];

    Block(String routeId, long firstStep) {
      this.routeId = routeId;
      this.firstStep = firstStep;
      this.lastStep = firstStep - 1;
      this.data = new byte[256];
    }

    private Block(Block other) {
      this.routeId = other.routeId;
      this.firstStep = other.firstStep;
      this.lastStep = other.lastStep;
      this.points = other.points;
      this.data = Arrays.copyOf(other.data, other.length);
      this.length = other.length;
    }

    Block copy() {
      return new Block(this);
    }

    long bytes() {
      return data.length + BLOCK_OVERHEAD_BYTES;
    }

    void seal() {
      data = Arrays.copyOf(data, length);
    }

    void append(long step, RouteTraffic t) {
      long skip = step - lastStep - 1;
      StatusCounts s = t.statuses();
      boolean plainStatuses = s.equals(new StatusCounts(0, t.requests(), 0, 0, 0));
      int flags = (t.requests() != 0 ? HAS_REQUESTS : 0)
          | (plainStatuses ? 0 : HAS_STATUSES)
          | (t.errors().total() != 0 ? HAS_ERRORS : 0)
          | (t.rateLimited() != 0 ? HAS_RATE_LIMITED : 0)
          | (t.latency().totalCount() != 0 ? HAS_LATENCY : 0)
          | (skip > 0 && points > 0 ? HAS_SKIP : 0);
      ensure(1 + 20 * 10);
      data[length++] = (byte) flags;
      if ((flags & HAS_SKIP) != 0) {
        put(skip);
      }
      if ((flags & HAS_REQUESTS) != 0) {
        put(t.requests());
      }
      if ((flags & HAS_STATUSES) != 0) {
        put(s.informational());
        put(s.success());
        put(s.redirection());
        put(s.clientError());
        put(s.serverError());
      }
      if ((flags & HAS_ERRORS) != 0) {
        ErrorCounts e = t.errors();
        put(e.upstreamConnect());
        put(e.upstreamTimeout());
        put(e.upstreamProtocol());
        put(e.breakerRejected());
        put(e.noInstance());
        put(e.rejected());
      }
      if ((flags & HAS_RATE_LIMITED) != 0) {
        put(t.rateLimited());
      }
      if ((flags & HAS_LATENCY) != 0) {
        LatencyDistribution l = t.latency();
        long[] indexes = {logIndex(l.valueAtPercentile(50)), logIndex(l.valueAtPercentile(90)),
            logIndex(l.valueAtPercentile(99)), logIndex(l.max())};
        // Latencies move little from one step to the next: a zigzag delta is mostly one byte.
        for (int i = 0; i < 4; i++) {
          long delta = indexes[i] - previousIndexes[i];
          put((delta << 1) ^ (delta >> 63));
          previousIndexes[i] = indexes[i];
        }
      }
      points++;
      lastStep = step;
    }

    void decode(long resolutionMillis, long oldestKept, @Nullable Instant from,
        @Nullable Instant to, List<HistoryPoint> out) {
      int[] position = {0};
      long[] indexes = new long[4];
      long step = firstStep - 1;
      for (int i = 0; i < points; i++) {
        int flags = data[position[0]++] & 0xff;
        step += 1 + ((flags & HAS_SKIP) != 0 ? get(position) : 0);
        long requests = (flags & HAS_REQUESTS) != 0 ? get(position) : 0;
        StatusCounts statuses = (flags & HAS_STATUSES) != 0
            ? new StatusCounts(get(position), get(position), get(position), get(position),
                get(position))
            : new StatusCounts(0, requests, 0, 0, 0);
        ErrorCounts errors = (flags & HAS_ERRORS) != 0
            ? new ErrorCounts(get(position), get(position), get(position), get(position),
                get(position), get(position))
            : ErrorCounts.NONE;
        long rateLimited = (flags & HAS_RATE_LIMITED) != 0 ? get(position) : 0;
        long p50 = 0;
        long p90 = 0;
        long p99 = 0;
        long max = 0;
        if ((flags & HAS_LATENCY) != 0) {
          for (int j = 0; j < 4; j++) {
            long zigzag = get(position);
            indexes[j] += (zigzag >>> 1) ^ -(zigzag & 1);
          }
          p50 = fromLogIndex(indexes[0]);
          p90 = fromLogIndex(indexes[1]);
          p99 = fromLogIndex(indexes[2]);
          max = fromLogIndex(indexes[3]);
        }
        Instant start = Instant.ofEpochMilli(step * resolutionMillis);
        if (step > oldestKept && (from == null || !start.isBefore(from))
            && (to == null || start.isBefore(to))) {
          out.add(new HistoryPoint(start, requests, statuses, errors, rateLimited, p50, p90, p99,
              max));
        }
      }
    }

    private void ensure(int extra) {
      if (length + extra > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, length + extra));
      }
    }

    private void put(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        data[length++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      data[length++] = (byte) v;
    }

    private long get(int[] position) {
      long value = 0;
      int shift = 0;
      while (true) {
        byte b = data[position[0]++];
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
        shift += 7;
      }
    }
  }

  static long logIndex(long micros) {
    return micros <= 0 ? 0 : 1 + Math.round(Math.log(micros) / LOG_STEP);
  }

  static long fromLogIndex(long index) {
    return index == 0 ? 0 : Math.round(Math.exp((index - 1) * LOG_STEP));
  }
}
