package dev.sluice.agent.telemetry;

/** A route's traffic in one tick, with the path pattern it had then (for prefix filters). */
public record RouteSample(String pathPattern, RouteTraffic traffic) {

  RouteSample plus(RouteSample later) {
    return new RouteSample(later.pathPattern, traffic.plus(later.traffic));
  }
}
