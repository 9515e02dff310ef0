package dev.sluice.agent.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a frame says about the routes from {@code start} to {@code end}, in route id order: the part
 * every watcher due the same ticks with the same filter receives alike. The hub builds it once per
 * such group in its tick {@code tick} and hands the same instance to each watcher of the group, so
 * a consumer may encode it once per instance.
 */
public record FrameBody(long tick, Instant start, Instant end, List<RouteFrame> routes) {

  public FrameBody {
    routes = List.copyOf(routes);
  }

  public Duration interval() {
    return Duration.between(start, end);
  }
}
