package dev.sluice.agent.telemetry;

import java.util.List;

/** A route's history points in time order; steps without traffic are left out. */
public record RouteHistory(String routeId, String pathPattern, List<HistoryPoint> points) {
  public RouteHistory {
    points = List.copyOf(points);
  }
}
