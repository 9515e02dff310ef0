package dev.sluice.agent.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a watcher receives: every matching route's traffic from {@code start} to {@code end}, in
 * route id order. {@code coalescedFrames} counts the frames merged into this one because the
 * watcher was not ready to take them when they were due.
 */
public record TrafficFrame(
    long sequence, Instant start, Instant end, long coalescedFrames, List<RouteFrame> routes) {

  public TrafficFrame {
    routes = List.copyOf(routes);
  }

  public Duration interval() {
    return Duration.between(start, end);
  }
}
