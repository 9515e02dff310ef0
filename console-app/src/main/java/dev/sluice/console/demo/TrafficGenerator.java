package dev.sluice.console.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Sends the demo's client traffic through the gateway: every route at its own modest rate
 * (about 60 requests a second in all, so a laptop stays cool), asynchronously, with random ids in
 * the path parameters. Requests are dropped rather than queued while too many are in flight, so
 * a slow upstream never piles work up here.
 */
final class TrafficGenerator implements AutoCloseable {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final int MAX_IN_FLIGHT = 150;

  private final IntSupplier proxyPort;
  private final List<DemoTopology.Route> routes;
  private final double[] owed;
  private final ExecutorService callbacks;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final AtomicInteger inFlight = new AtomicInteger();

  private TrafficGenerator(IntSupplier proxyPort, List<DemoTopology.Route> routes) {
    this.proxyPort = proxyPort;
    this.routes = routes;
    this.owed = new double[routes.size()];
    this.callbacks = Executors.newFixedThreadPool(2, daemon("sluice-demo-client"));
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .executor(callbacks)
        .build();
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sluice-demo-traffic"));
  }

  /** Starts sending to the gateway's proxy port, read anew for every request (it may restart). */
  static TrafficGenerator start(IntSupplier proxyPort, List<DemoTopology.Route> routes) {
    TrafficGenerator generator = new TrafficGenerator(proxyPort, routes);
    generator.timer.scheduleAtFixedRate(
        generator::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return generator;
  }

  private void tick() {
    double seconds = TICK.toMillis() / 1000.0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < routes.size(); i++) {
      DemoTopology.Route route = routes.get(i);
      // Poisson-ish arrivals: the owed fraction carries over, jitter keeps rows from marching in step.
      owed[i] += route.rps() * seconds * (0.5 + random.nextDouble());
      while (owed[i] >= 1) {
        owed[i] -= 1;
        send(route, random);
      }
    }
  }

  private void send(DemoTopology.Route route, ThreadLocalRandom random) {
    int port = proxyPort.getAsInt();
    if (port <= 0 || inFlight.get() >= MAX_IN_FLIGHT) {
      return;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + concretePath(route.path(), random)))
        .timeout(Duration.ofSeconds(10))
        .header("User-Agent", "sluice-demo-traffic")
        .header("Content-Type", "application/json");
    HttpRequest.BodyPublisher body = route.method().equals("GET")
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString("{\"demo\":true,\"amount\":" + random.nextInt(1, 500) + "}");
    inFlight.incrementAndGet();
    http.sendAsync(request.method(route.method(), body).build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> inFlight.decrementAndGet());
  }

  /** Fills {@code :param} segments with ids and a {@code *wildcard} with a file name. */
  static String concretePath(String pattern, ThreadLocalRandom random) {
    StringBuilder path = new StringBuilder();
    for (String segment : pattern.substring(1).split("/")) {
      path.append('/');
      if (segment.startsWith(":")) {
        path.append(random.nextInt(1, 100_000));
      } else if (segment.startsWith("*")) {
        path.append("assets/app-").append(random.nextInt(1, 40)).append(".js");
      } else {
        path.append(segment);
      }
    }
    return path.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    callbacks.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
