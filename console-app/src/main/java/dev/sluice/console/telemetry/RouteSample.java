package dev.sluice.console.telemetry;

/**
 * One route's traffic over one interval, in the units the console shows. Rates are per second of
 * {@code intervalSeconds}; percentiles are -1 when there was no traffic; {@code statuses} counts
 * the responses by status class.
 */
public record RouteSample(
    String routeId,
    long requests,
    long serverErrors,
    long rateLimited,
    double intervalSeconds,
    LatencyHistogram histogram,
    long p50Micros,
    long p99Micros,
    StatusCounts statuses) {

  /** A sample whose status classes are only known as {@code serverErrors} of {@code requests}. */
  public RouteSample(String routeId, long requests, long serverErrors, long rateLimited,
      double intervalSeconds, LatencyHistogram histogram, long p50Micros, long p99Micros) {
    this(routeId, requests, serverErrors, rateLimited, intervalSeconds, histogram, p50Micros,
        p99Micros, new StatusCounts(0, Math.max(0, requests - serverErrors), 0, 0, serverErrors));
  }

  public static RouteSample idle(String routeId, double intervalSeconds) {
    return new RouteSample(routeId, 0, 0, 0, intervalSeconds, LatencyHistogram.empty(), -1, -1,
        StatusCounts.NONE);
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
