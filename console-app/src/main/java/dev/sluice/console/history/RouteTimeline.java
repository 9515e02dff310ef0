package dev.sluice.console.history;

import java.util.List;

/**
 * One route's traffic as steps on the agent's resolution grid, read from the gateway's columnar
 * history: the agent's history for every step that had ended when it was loaded, live frames
 * (summed, percentiles from the merged histogram) for the steps after that. A view: it holds no
 * steps itself and builds {@link HistoryStep}s only for the window asked for.
 */
public final class RouteTimeline {
  private static final RouteTimeline EMPTY = new RouteTimeline(null, "");

  private final @org.jspecify.annotations.Nullable StepStore store;
  private final String routeId;

  RouteTimeline(@org.jspecify.annotations.Nullable StepStore store, String routeId) {
    this.store = store;
    this.routeId = routeId;
  }

  static RouteTimeline empty() {
    return EMPTY;
  }

  /** Steps starting in [from, to), oldest first. */
  public List<HistoryStep> between(long fromEpochSecond, long toEpochSecond) {
    StepStore s = store;
    return s == null ? List.of() : s.between(routeId, fromEpochSecond, toEpochSecond);
  }

  public List<HistoryStep> all() {
    return between(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
  }

  public int size() {
    StepStore s = store;
    return s == null ? 0 : s.size(routeId);
  }

  /** Start of the oldest step, or -1 when empty. */
  public long oldestEpochSecond() {
    StepStore s = store;
    return s == null ? -1 : s.oldestEpochSecond(routeId);
  }
}
