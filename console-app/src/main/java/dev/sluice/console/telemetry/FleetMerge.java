package dev.sluice.console.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * Combines the same route's samples from several agents of one cluster (or several routes under one
 * tree node): counts are summed and percentiles come from the merged histogram, never from averaging
 * the agents' percentiles.
 */
public final class FleetMerge {
  private FleetMerge() {}

  /**
   * Merges samples covering the same interval. Rates are over the longest interval among them (the
   * agents' frames cover the same wall-clock second, give or take scheduling).
   */
  public static RouteSample merge(String routeId, List<RouteSample> samples) {
    long requests = 0;
    long errors = 0;
    long limited = 0;
    double interval = 0;
    StatusCounts statuses = StatusCounts.NONE;
    List<LatencyHistogram> histograms = new ArrayList<>(samples.size());
    for (RouteSample s : samples) {
      requests += s.requests();
      errors += s.serverErrors();
      limited += s.rateLimited();
      interval = Math.max(interval, s.intervalSeconds());
      statuses = statuses.plus(s.statuses());
      histograms.add(s.histogram());
    }
    LatencyHistogram merged = LatencyHistogram.mergeAll(histograms);
    return new RouteSample(
        routeId,
        requests,
        errors,
        limited,
        interval,
        merged,
        merged.percentileMicros(0.50),
        merged.percentileMicros(0.99),
        statuses);
  }
}
