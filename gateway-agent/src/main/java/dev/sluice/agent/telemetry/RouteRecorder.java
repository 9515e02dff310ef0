package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Records one route's traffic on the request path, from any number of event-loop threads at once,
 * with no lock and no allocation per request: counters are {@link LongAdder}s and latencies go to
 * an HdrHistogram {@link Recorder} (wait-free, multi-writer, packed so that memory follows the
 * values actually seen; 2 significant digits, i.e. within 1 %). The packed counts only allocate
 * when they grow into a value range not yet seen, amortized to well under a byte per request
 * ({@code TelemetryHubTest} measures it). Call {@link #requestStarted} when a
 * request arrives and {@link #requestCompleted} for every response, the gateway's own (404, 429,
 * 502, …) included; classify gateway failures with {@link #failed} and rate-limit refusals with
 * {@link #rateLimited} in addition. Get recorders from {@link TelemetryHub#route}.
 */
public final class RouteRecorder {

  /** Latencies above an hour are recorded as an hour. */
  static final long MAX_MICROS = 3_600_000_000L;

  private final String routeId;
  private final String pathPattern;
  private final LongAdder inFlight = new LongAdder();
  private final LongAdder[] statuses = adders(5);
  private final LongAdder[] errors = adders(ErrorCause.values().length);
  private final LongAdder rateLimited = new LongAdder();
  private final Recorder latencies = new Recorder(2, true);

  // Ticker thread only: the cumulative totals at the previous sample, to compute deltas.
  private final long[] lastStatuses = new long[5];
  private final long[] lastErrors = new long[ErrorCause.values().length];
  private long lastRateLimited;
  private @Nullable Histogram recycled;

  RouteRecorder(String routeId, String pathPattern) {
    this.routeId = routeId;
    this.pathPattern = pathPattern;
    // HdrHistogram's auto-resize of a concurrent histogram can deadlock writers against an interval
    // swap (seen under load: writers stuck in ConcurrentHistogram.resize, the ticker in flipPhase).
    // Widen both interval histograms to the full range now, before any writer exists, so the request
    // path never resizes; the two warm-up values are drained here and never reported.
    latencies.recordValue(MAX_MICROS);
    Histogram first = latencies.getIntervalHistogram();
    latencies.recordValue(MAX_MICROS);
    recycled = latencies.getIntervalHistogram(first);
  }

  public String routeId() {
    return routeId;
  }

  public String pathPattern() {
    return pathPattern;
  }

  /** A request for this route arrived (counts it in flight). */
  public void requestStarted() {
    inFlight.increment();
  }

  /**
   * A response was sent for a request that {@link #requestStarted started}.
   *
   * @param status the HTTP status sent to the client
   * @param latencyNanos from the request's arrival to the end of the response
   */
  public void requestCompleted(int status, long latencyNanos) {
    inFlight.decrement();
    statuses[statusClass(status)].increment();
    long micros = latencyNanos / 1_000;
    latencies.recordValue(micros < 0 ? 0 : Math.min(micros, MAX_MICROS));
  }

  /** The gateway classified a failure of this request (in addition to its completion). */
  public void failed(ErrorCause cause) {
    errors[cause.ordinal()].increment();
  }

  /** The route's rate limit refused a request (in addition to its 429 completion). */
  public void rateLimited() {
    rateLimited.increment();
  }

  /** Requests in progress now. */
  public long inFlight() {
    return inFlight.sum();
  }

  /**
   * The traffic since the previous call, swapping the interval histogram. Only the hub's ticker
   * thread calls this.
   */
  RouteTraffic sample() {
    Histogram interval = latencies.getIntervalHistogram(recycled);
    recycled = interval;
    // Completions are counted by the histogram so that requests and latencies always agree.
    long requestsDelta = interval.getTotalCount();
    long[] statusDelta = deltas(statuses, lastStatuses);
    long[] errorDelta = deltas(errors, lastErrors);
    long rateLimitedNow = rateLimited.sum();
    long rateLimitedDelta = rateLimitedNow - lastRateLimited;
    lastRateLimited = rateLimitedNow;
    if (requestsDelta == 0 && rateLimitedDelta == 0 && sum(errorDelta) == 0) {
      return RouteTraffic.NONE;
    }
    return new RouteTraffic(requestsDelta,
        new StatusCounts(statusDelta[0], statusDelta[1], statusDelta[2], statusDelta[3],
            statusDelta[4]),
        new ErrorCounts(errorDelta[0], errorDelta[1], errorDelta[2], errorDelta[3], errorDelta[4],
            errorDelta[5]),
        rateLimitedDelta, LatencyDistribution.of(interval));
  }

  private static int statusClass(int status) {
    if (status < 200) {
      return 0;
    }
    if (status >= 500) {
      return 4;
    }
    return status / 100 - 1;
  }

  private static long[] deltas(LongAdder[] adders, long[] last) {
    long[] delta = new long[adders.length];
    for (int i = 0; i < adders.length; i++) {
      long now = adders[i].sum();
      delta[i] = now - last[i];
      last[i] = now;
    }
    return delta;
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long value : values) {
      total += value;
    }
    return total;
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
