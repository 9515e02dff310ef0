package dev.sluice.agent.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The work of one hub tick that watchers share: merged runs of ticks, once per distinct run, and
 * frame bodies, once per distinct (filter, run, start). Watchers with the same interval and filter
 * are due on the same ticks, so only the first of them walks the routes. Ticker thread only.
 */
final class FrameCache {

  private record Run(long first, long last) {}

  private record BodyKey(RouteFilter filter, long first, long last, Instant start) {}

  private final long tick;
  private final Collection<RouteRecorder> recorders;
  private final Map<Run, Map<String, RouteSample>> merged = new HashMap<>();
  private final Map<BodyKey, FrameBody> bodies = new HashMap<>();

  FrameCache(long tick, Collection<RouteRecorder> recorders) {
    this.tick = tick;
    this.recorders = recorders;
  }

  /** The body of a frame over {@code ticks} (not empty), starting no earlier than {@code from}. */
  FrameBody body(RouteFilter filter, List<TelemetryTick> ticks, Instant from) {
    TelemetryTick first = ticks.get(0);
    TelemetryTick last = ticks.get(ticks.size() - 1);
    Instant start = first.start().isBefore(from) ? from : first.start();
    BodyKey key = new BodyKey(filter, first.firstNumber(), last.lastNumber(), start);
    FrameBody body = bodies.get(key);
    if (body == null) {
      body = build(filter, merged(ticks), start, last.end());
      bodies.put(key, body);
    }
    return body;
  }

  TelemetryTick collapse(List<TelemetryTick> ticks) {
    TelemetryTick first = ticks.get(0);
    TelemetryTick last = ticks.get(ticks.size() - 1);
    return new TelemetryTick(first.firstNumber(), last.lastNumber(), first.start(), last.end(),
        merged(ticks));
  }

  private Map<String, RouteSample> merged(List<TelemetryTick> ticks) {
    if (ticks.size() == 1) {
      return ticks.get(0).routes();
    }
    Run run = new Run(ticks.get(0).firstNumber(), ticks.get(ticks.size() - 1).lastNumber());
    Map<String, RouteSample> all = merged.get(run);
    if (all == null) {
      all = mergeAll(ticks);
      merged.put(run, all);
    }
    return all;
  }

  private FrameBody build(RouteFilter filter, Map<String, RouteSample> traffic, Instant start,
      Instant end) {
    List<RouteFrame> routes = new ArrayList<>();
    for (RouteRecorder recorder : recorders) {
      if (!filter.matches(recorder.routeId(), recorder.pathPattern())) {
        continue;
      }
      RouteSample sample = traffic.get(recorder.routeId());
      RouteTraffic routeTraffic = sample == null ? RouteTraffic.NONE : sample.traffic();
      long inFlight = recorder.inFlight();
      if (!routeTraffic.isIdle() || inFlight > 0) {
        routes.add(new RouteFrame(recorder.routeId(), recorder.pathPattern(), routeTraffic,
            inFlight));
      }
    }
    routes.sort((a, b) -> a.routeId().compareTo(b.routeId()));
    return new FrameBody(tick, start, end, routes);
  }

  private static Map<String, RouteSample> mergeAll(List<TelemetryTick> ticks) {
    Map<String, RouteSample> all = new HashMap<>();
    for (TelemetryTick tick : ticks) {
      for (Map.Entry<String, RouteSample> entry : tick.routes().entrySet()) {
        all.merge(entry.getKey(), entry.getValue(), RouteSample::plus);
      }
    }
    return all;
  }
}
