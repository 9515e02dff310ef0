package dev.sluice.console.telemetry;

import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;

/** Reads the console's {@link RouteSample} out of the admin API's telemetry frames. */
public final class Samples {
  private Samples() {}

  /** The frame's bucket bounds, shared by every route histogram in it. */
  public static long[] bounds(TelemetryFrame frame) {
    long[] bounds = new long[frame.getLatencyBoundsMicrosCount()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = frame.getLatencyBoundsMicros(i);
    }
    return bounds;
  }

  public static double intervalSeconds(TelemetryFrame frame) {
    return frame.getInterval().getSeconds() + frame.getInterval().getNanos() / 1e9;
  }

  /**
   * One route's sample; its histogram keeps {@code bounds} (pass one array per frame, unchanged). Percentiles are the agent's (from its full-resolution histogram) when the
   * route had traffic; the bucket histogram is kept for merging and for the detail chart.
   */
  public static RouteSample of(long[] bounds, double intervalSeconds, RouteTelemetry route) {
    LatencyHistogram histogram = LatencyHistogram.empty();
    int buckets = route.hasHistogram() ? route.getHistogram().getCountsCount() : 0;
    if (buckets > 0) {
      // A plain loop: this runs for every route of every frame, so no boxing stream.
      long[] counts = new long[buckets];
      for (int i = 0; i < buckets; i++) {
        counts[i] = route.getHistogram().getCounts(i);
      }
      histogram = LatencyHistogram.sharing(bounds, counts);
    }
    boolean traffic = route.getRequests() > 0;
    return new RouteSample(
        route.getRouteId(),
        route.getRequests(),
        route.getStatuses().getServerError(),
        route.getRateLimited(),
        intervalSeconds,
        histogram,
        traffic ? route.getLatency().getP50Micros() : -1,
        traffic ? route.getLatency().getP99Micros() : -1,
        StatusCounts.of(route.getStatuses()));
  }
}
