package dev.sluice.agent.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One watcher of the {@link TelemetryHub}: its interval, its route filter and where its frames go.
 * Its window starts at the last tick boundary and frames fall due on boundaries of the interval
 * (aligned to the epoch), so watchers with the same interval and filter are due on the same ticks
 * and share one {@link FrameBody}; a frame due while the sink is not ready is merged into the next
 * one. Close it to stop.
 */
public final class TelemetryWatch implements AutoCloseable {

  /** Ticks a slow watcher holds before they are merged into one, bounding its memory. */
  static final int MAX_PENDING_TICKS = 600;

  private final TelemetryHub hub;
  private final Duration interval;
  private final RouteFilter filter;
  private final FrameSink sink;
  private volatile boolean closed;

  // Ticker thread only.
  private final List<TelemetryTick> pending = new ArrayList<>();
  private Instant windowStart;
  private Instant nextDue;
  private long blockedDueTicks;
  private long sequence;
  private long coalescedTotal;

  /** {@code windowStart} is the end of the hub's last tick: the next tick's traffic is ours. */
  TelemetryWatch(TelemetryHub hub, Duration interval, RouteFilter filter, FrameSink sink,
      Instant windowStart) {
    this.hub = hub;
    this.interval = interval;
    this.filter = filter;
    this.sink = sink;
    this.windowStart = windowStart;
    this.nextDue = alignedAfter(windowStart, interval);
  }

  public Duration interval() {
    return interval;
  }

  public RouteFilter filter() {
    return filter;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames merged into later ones so far because the sink was not ready. */
  public long coalescedTotal() {
    return coalescedTotal;
  }

  @Override
  public void close() {
    closed = true;
    hub.remove(this);
  }

  /** Returns the number of frames coalesced by this tick (0 or 1). */
  int onTick(TelemetryTick tick, FrameCache cache) {
    if (!tick.end().isAfter(windowStart)) {
      return 0;
    }
    pending.add(tick);
    if (pending.size() > MAX_PENDING_TICKS) {
      TelemetryTick collapsed = cache.collapse(pending);
      pending.clear();
      pending.add(collapsed);
    }
    if (tick.end().isBefore(nextDue)) {
      return 0;
    }
    while (!tick.end().isBefore(nextDue)) {
      nextDue = nextDue.plus(interval);
    }
    if (!sink.isReady()) {
      blockedDueTicks++;
      coalescedTotal++;
      return 1;
    }
    sink.send(new TrafficFrame(++sequence, blockedDueTicks, cache.body(filter, pending, windowStart)));
    pending.clear();
    blockedDueTicks = 0;
    windowStart = tick.end();
    return 0;
  }

  private static Instant alignedAfter(Instant now, Duration interval) {
    long step = interval.toMillis();
    long next = (Math.floorDiv(now.toEpochMilli(), step) + 1) * step;
    return Instant.ofEpochMilli(next);
  }
}
