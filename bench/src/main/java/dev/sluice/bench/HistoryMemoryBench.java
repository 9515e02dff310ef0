package dev.sluice.bench;

import dev.sluice.agent.telemetry.HistoryRing;
import dev.sluice.agent.telemetry.LatencyDistribution;
import dev.sluice.agent.telemetry.RouteFilter;
import dev.sluice.agent.telemetry.RouteSample;
import dev.sluice.agent.telemetry.RouteTraffic;
import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import dev.sluice.agent.telemetry.TelemetryTick;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Fills a standard {@link HistoryRing} (10 s × 6 h, 64 MiB cap) with synthetic traffic on every
 * route at every step, in synthetic time, and reports what it holds: the ring's own estimate and
 * the heap it really takes (used heap after GC, minus the same before filling). Not a unit test; run
 * by hand (see bench/README.md).
 *
 * <p>Traffic model (seed 42): per route a rate drawn log-uniform between 5 and 5,000 requests per
 * 10 s step, ±20 % over the 6 h, Poisson noise per step; latencies log-normal (σ 0.6) around a
 * median drawn log-uniform between 1 ms and 200 ms, each step taking one of 4 distributions of
 * min(rate, 400) samples drawn for the route; 2 % of steps with 1–3 % 5xx (upstream timeouts); 1 %
 * of routes rate-limited.
 */
public final class HistoryMemoryBench {

  private static final int VARIANTS = 4;

  private HistoryMemoryBench() {}

  public static void main(String[] args) throws InterruptedException {
    int routes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : HistoryRing.DEFAULT_STEPS;
    SplittableRandom random = new SplittableRandom(42);
    Route[] models = new Route[routes];
    for (int r = 0; r < routes; r++) {
      models[r] = new Route("route-" + r, "/api/r" + r, random);
    }
    long before = usedHeapAfterGc();
    HistoryRing ring = HistoryRing.standard();
    Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
    long started = System.nanoTime();
    long requests = 0;
    for (int step = 0; step < steps; step++) {
      double daily = 1 + 0.2 * Math.sin(2 * Math.PI * step / steps);
      Map<String, RouteSample> samples = new HashMap<>(routes * 2);
      for (Route model : models) {
        RouteTraffic traffic = model.step(random, daily);
        requests += traffic.requests();
        samples.put(model.id, new RouteSample(model.path, traffic));
      }
      Instant start = t0.plus(Duration.ofSeconds(10L * step));
      ring.accept(new TelemetryTick(step, step, start, start.plusSeconds(10), samples));
    }
    ring.flush();
    long fillMillis = (System.nanoTime() - started) / 1_000_000;
    long after = usedHeapAfterGc();
    long points = 0;
    var reader = ring.reader(null, null, RouteFilter.ALL);
    while (reader.hasNext()) {
      points += reader.next().points().size();
    }
    Instant oldest = ring.oldestPoint();
    Instant end = t0.plus(Duration.ofSeconds(10L * steps));
    System.out.printf(Locale.ROOT, "routes %d, steps %d (%s of 10 s), requests %d, points kept %d%n", routes, steps,
        Duration.ofSeconds(10L * steps), requests, points);
    System.out.printf(Locale.ROOT, "retention kept: %s (oldest point %s)%n",
        oldest == null ? "none" : Duration.between(oldest, end), oldest);
    System.out.printf(Locale.ROOT, "ring estimate: %.1f MiB (%.2f bytes/point)%n", ring.estimatedBytes() / 1048576.0,
        (double) ring.estimatedBytes() / Math.max(1, points));
    System.out.printf(Locale.ROOT, "heap delta after GC: %.1f MiB (%.2f bytes/point)%n", (after - before) / 1048576.0,
        (double) (after - before) / Math.max(1, points));
    System.out.printf(Locale.ROOT, "fill took %d ms%n", fillMillis);
    // Keep the ring and the models reachable until after the measurement.
    if (ring.routeCount() < 0 || models.length < 0) {
      System.out.println();
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** One route's synthetic traffic: a base rate and a few latency distributions to draw from. */
  private static final class Route {
    final String id;
    final String path;
    final double rate;
    final boolean rateLimited;
    final LatencyDistribution[] latencies = new LatencyDistribution[VARIANTS];

    Route(String id, String path, SplittableRandom random) {
      this.id = id;
      this.path = path;
      this.rate = Math.exp(Math.log(5) + random.nextDouble() * (Math.log(5_000) - Math.log(5)));
      this.rateLimited = random.nextDouble() < 0.01;
      double median = Math.exp(Math.log(1_000) + random.nextDouble() * (Math.log(200_000) - Math.log(1_000)));
      int samples = (int) Math.min(rate, 400);
      for (int v = 0; v < VARIANTS; v++) {
        Histogram histogram = new Histogram(3_600_000_000L, 2);
        for (int i = 0; i < samples; i++) {
          histogram.recordValue(Math.max(1, Math.round(median * Math.exp(0.6 * gaussian(random)))));
        }
        latencies[v] = LatencyDistribution.of(histogram);
      }
    }

    RouteTraffic step(SplittableRandom random, double daily) {
      long requests = poisson(random, rate * daily);
      if (requests == 0) {
        return RouteTraffic.NONE;
      }
      long serverErrors = random.nextDouble() < 0.02 ? Math.max(1, requests * (1 + random.nextInt(3)) / 100) : 0;
      long limited = rateLimited ? poisson(random, 5) : 0;
      return new RouteTraffic(requests, new StatusCounts(0, requests - serverErrors, 0, 0, serverErrors),
          serverErrors == 0 ? ErrorCounts.NONE : new ErrorCounts(0, serverErrors, 0, 0, 0, 0), limited,
          latencies[random.nextInt(VARIANTS)]);
    }

    private static long poisson(SplittableRandom random, double mean) {
      if (mean > 30) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
      }
      double limit = Math.exp(-mean);
      double product = random.nextDouble();
      long count = 0;
      while (product > limit) {
        product *= random.nextDouble();
        count++;
      }
      return count;
    }

    private static double gaussian(SplittableRandom random) {
      double u = 1 - random.nextDouble();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
  }
}
