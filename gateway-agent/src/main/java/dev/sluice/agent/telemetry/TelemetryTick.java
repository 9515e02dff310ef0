package dev.sluice.agent.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * The traffic of every route that had any in one tick of the {@link TelemetryHub} (or several
 * ticks merged: {@code firstNumber} to {@code lastNumber}). Immutable and shared by all watchers.
 */
public record TelemetryTick(
    long firstNumber, long lastNumber, Instant start, Instant end, Map<String, RouteSample> routes) {

  public TelemetryTick {
    routes = Map.copyOf(routes);
  }
}
