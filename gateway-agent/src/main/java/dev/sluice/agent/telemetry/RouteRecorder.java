package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.jspecify.annotations.Nullable;

/**
 * Records one route's traffic on the request path, from any number of threads at once, with no
 * lock and no allocation per request; only the hub's ticker thread calls {@link #sample}. Call
 * {@link #requestStarted} when a request arrives and {@link #requestCompleted} for every response,
 * the gateway's own (404, 429, 502, …) included; classify gateway failures with {@link #failed} and
 * rate-limit refusals with {@link #rateLimited} in addition. Get recorders from
 * {@link TelemetryHub#route}.
 *
 * <p>Threading model. Counters are {@link LongAdder}s. Latencies (microseconds, 2 significant
 * digits, i.e. within 1 %) are striped by writer thread: each thread holds one of the process-wide
 * {@link WriterStripes} for its lifetime and records into this route's {@link SingleWriterRecorder}
 * for that stripe, a packed histogram that only that thread writes, created on the thread's first
 * completion on this route. Memory therefore follows the values seen and the threads that recorded
 * them, and a packed histogram only allocates when it grows into a value range not yet seen
 * (amortized to well under a byte per request; {@code TelemetryHubTest} measures it). Threads
 * beyond the stripes (more live recording threads than {@link WriterStripes#COUNT}) share one
 * multi-writer {@link Recorder}, created on first use. That is the trade-off of the fallback: it
 * is not packed, so it costs the full arrays of histograms reaching the highest latency seen (tens
 * of KB) for each route such a thread records, and a writer that grows it into a new value range
 * briefly takes its resize lock (a few times per route, never in the steady state). Multi-writer
 * <em>packed</em> histograms are not used at all: with HdrHistogram 2.2.2, writers growing one
 * concurrently could spin forever, stalling the ticker in its interval swap. The ticker swaps every
 * stripe's interval histogram and merges them, so each completion lands in exactly one interval
 * and a sample's request count is its histogram's total count.
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
  /** Element i is written by the holder of stripe i only, and read by the ticker. */
  private final AtomicReferenceArray<@Nullable SingleWriterRecorder> stripes;
  private final AtomicReference<@Nullable Recorder> shared = new AtomicReference<>();

  // Ticker thread only: the cumulative totals at the previous sample, to compute deltas, and the
  // interval histograms handed back to their recorders at the next swap.
  private final long[] lastStatuses = new long[5];
  private final long[] lastErrors = new long[ErrorCause.values().length];
  private long lastRateLimited;
  private final @Nullable Histogram[] stripeIntervals;
  private @Nullable Histogram sharedInterval;
  private @Nullable PackedHistogram merged;

  RouteRecorder(String routeId, String pathPattern) {
    this(routeId, pathPattern, WriterStripes.COUNT);
  }

  /** With {@code stripes} below {@link WriterStripes#COUNT}, threads holding higher ones share. */
  RouteRecorder(String routeId, String pathPattern, int stripes) {
    this.routeId = routeId;
    this.pathPattern = pathPattern;
    this.stripes = new AtomicReferenceArray<>(stripes);
    this.stripeIntervals = new Histogram[stripes];
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
    long clamped = micros < 0 ? 0 : Math.min(micros, MAX_MICROS);
    int stripe = WriterStripes.current();
    if (stripe >= 0 && stripe < stripes.length()) {
      SingleWriterRecorder own = stripes.get(stripe);
      if (own == null) {
        // Only this thread writes this element, so a plain set cannot lose a recorder.
        own = new SingleWriterRecorder(2, true);
        stripes.set(stripe, own);
      }
      own.recordValue(clamped);
    } else {
      sharedRecorder().recordValue(clamped);
    }
  }

  private Recorder sharedRecorder() {
    Recorder recorder = shared.get();
    if (recorder == null) {
      Recorder created = new Recorder(2);
      recorder = shared.compareAndSet(null, created) ? created : shared.get();
    }
    return recorder;
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
   * The traffic since the previous call, swapping the interval histograms. Only the hub's ticker
   * thread calls this. A completion's status is counted just before its latency, so a sample may
   * count the statuses of completions whose latencies fall in the next one; totals over samples
   * are exact.
   */
  RouteTraffic sample() {
    @Nullable Histogram interval = swapIntervals();
    // Completions are counted by the histogram so that requests and latencies always agree.
    long requestsDelta = interval == null ? 0 : interval.getTotalCount();
    long[] errorDelta = deltas(errors, lastErrors);
    long rateLimitedNow = rateLimited.sum();
    long rateLimitedDelta = rateLimitedNow - lastRateLimited;
    lastRateLimited = rateLimitedNow;
    if (requestsDelta == 0 && rateLimitedDelta == 0 && sum(errorDelta) == 0) {
      // Statuses counted already wait for the sample that gets their latencies: an idle sample
      // is dropped by the hub, and their counts with it.
      return RouteTraffic.NONE;
    }
    long[] statusDelta = deltas(statuses, lastStatuses);
    return new RouteTraffic(requestsDelta,
        new StatusCounts(statusDelta[0], statusDelta[1], statusDelta[2], statusDelta[3],
            statusDelta[4]),
        new ErrorCounts(errorDelta[0], errorDelta[1], errorDelta[2], errorDelta[3], errorDelta[4],
            errorDelta[5]),
        rateLimitedDelta,
        interval == null ? LatencyDistribution.EMPTY : LatencyDistribution.of(interval));
  }

  /**
   * Swaps every recorder's interval histogram and returns their sum, or null if none recorded
   * anything. The one non-empty interval is returned as is, saving a merge in the common case of
   * a route served by one event loop since the last tick.
   */
  private @Nullable Histogram swapIntervals() {
    int nonEmpty = 0;
    @Nullable Histogram last = null;
    for (int i = 0; i < stripeIntervals.length; i++) {
      SingleWriterRecorder recorder = stripes.get(i);
      if (recorder != null) {
        Histogram interval = recorder.getIntervalHistogram(stripeIntervals[i]);
        stripeIntervals[i] = interval;
        if (interval.getTotalCount() > 0) {
          nonEmpty++;
          last = interval;
        }
      }
    }
    Recorder sharedNow = shared.get();
    if (sharedNow != null) {
      sharedInterval = sharedNow.getIntervalHistogram(sharedInterval);
      if (sharedInterval.getTotalCount() > 0) {
        nonEmpty++;
        last = sharedInterval;
      }
    }
    if (nonEmpty <= 1) {
      return last;
    }
    PackedHistogram sum = merged;
    if (sum == null) {
      sum = new PackedHistogram(2);
      merged = sum;
    } else {
      sum.reset();
    }
    for (@Nullable Histogram interval : stripeIntervals) {
      if (interval != null && interval.getTotalCount() > 0) {
        sum.add(interval);
      }
    }
    if (sharedNow != null && sharedInterval != null && sharedInterval.getTotalCount() > 0) {
      sum.add(sharedInterval);
    }
    return sum;
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
