package dev.sluice.console.history;

/**
 * One route's traffic over one resolution step (10 s on the agent): counts and percentiles, and
 * whether it came from the agent's history (complete) or was summed from live frames (complete
 * only from the first frame the console saw). Percentiles are -1 without traffic.
 */
public record HistoryStep(
    long startEpochSecond,
    long requests,
    long serverErrors,
    long rateLimited,
    long p50Micros,
    long p99Micros,
    boolean fromHistory) {

  /** Share of requests answered 5xx, within 0–100; 0 without requests. */
  public double errorPercent() {
    return requests <= 0 ? 0 : Math.min(100.0, 100.0 * serverErrors / requests);
  }

  public double requestsPerSecond(long resolutionSeconds) {
    return resolutionSeconds <= 0 ? 0 : (double) requests / resolutionSeconds;
  }
}
