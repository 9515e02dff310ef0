package dev.sluice.agent.telemetry;

/** One route in a {@link TrafficFrame}: its traffic over the frame and its in-flight count now. */
public record RouteFrame(String routeId, String pathPattern, RouteTraffic traffic, long inFlight) {}
