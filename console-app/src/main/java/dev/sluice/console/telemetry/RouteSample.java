package dev.sluice.console.telemetry;

/**
 * One route's traffic over one interval, in the units the console shows. Rates are per second of
 * {@code intervalSeconds}; percentiles are -1 when there was no traffic.
 */
public record RouteSample(
    String routeId,
    long requests,
    long serverErrors,
    long rateLimited,
    double intervalSeconds,
    LatencyHistogram histogram,
    long p50Micros,
    long p99Micros) {

  public static RouteSample idle(String routeId, double intervalSeconds) {
    return new RouteSample(routeId, 0, 0, 0, intervalSeconds, LatencyHistogram.empty(), -1, -1);
  }

  public double requestsPerSecond() {
    return intervalSeconds <= 0 ? 0 : requests / intervalSeconds;
  }

  public double rateLimitedPerSecond() {
    return intervalSeconds <= 0 ? 0 : rateLimited / intervalSeconds;
  }

  /** Share of requests answered 5xx, always within 0–100; 0 with no requests. */
  public double errorPercent() {
    if (requests <= 0) {
      return 0;
    }
    return Math.min(100.0, 100.0 * serverErrors / requests);
  }
}
