package dev.sluice.console.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a sample upstream service: a real HTTP server on a loopback port that answers
 * after a log-normal delay, fails now and then, and can be made to fail, slow down or die. Answers
 * are completed on a shared timer, so a slow instance holds no thread while it waits.
 */
final class SampleUpstream {
  /** Share of requests a healthy instance still fails: a living system is never spotless. */
  private static final double BACKGROUND_ERRORS = 0.004;
  private static final double FAILING_ERRORS = 0.85;
  private static final double SIGMA = 0.55;
  private static final long SLOW_EXTRA_MILLIS = 1_600;

  private final String service;
  private final String id;
  private final int port;
  private final double medianMillis;
  private final ScheduledExecutorService timer;
  private volatile DemoGateway.Fault behaviour = DemoGateway.Fault.NONE;
  private @Nullable HttpServer server;

  private SampleUpstream(String service, String id, int port, double medianMillis,
      ScheduledExecutorService timer) {
    this.service = service;
    this.id = id;
    this.port = port;
    this.medianMillis = medianMillis;
    this.timer = timer;
  }

  /** Starts an instance on a free loopback port. */
  static SampleUpstream start(String service, String id, double medianMillis,
      ScheduledExecutorService timer) {
    HttpServer server = listen(id, 0);
    return new SampleUpstream(service, id, server.getAddress().getPort(), medianMillis, timer)
        .adopt(server);
  }

  private SampleUpstream adopt(HttpServer running) {
    server = running;
    running.createContext("/", this::handle);
    return this;
  }

  String id() {
    return id;
  }

  int port() {
    return port;
  }

  /** Switches fault; DEAD stops listening, anything else listens again on the same port. */
  synchronized void behave(DemoGateway.Fault next) {
    behaviour = next;
    HttpServer running = server;
    if (next == DemoGateway.Fault.DEAD && running != null) {
      running.stop(0);
      server = null;
    } else if (next != DemoGateway.Fault.DEAD && running == null) {
      adopt(listen(id, port));
    }
  }

  synchronized void stop() {
    HttpServer running = server;
    server = null;
    if (running != null) {
      running.stop(0);
    }
  }

  private static HttpServer listen(String id, int onPort) {
    try {
      HttpServer created = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
      // Handlers only schedule the answer, so the dispatcher thread itself is enough.
      created.setExecutor(null);
      created.start();
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("sample upstream " + id + " cannot listen on loopback", e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      body.readAllBytes();
    }
    DemoGateway.Fault now = behaviour;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long delay = Math.round(medianMillis * Math.exp(SIGMA * random.nextGaussian()));
    if (now == DemoGateway.Fault.SLOW) {
      delay += SLOW_EXTRA_MILLIS;
    }
    double errorShare = now == DemoGateway.Fault.ERRORS ? FAILING_ERRORS : BACKGROUND_ERRORS;
    int status = random.nextDouble() < errorShare ? (random.nextBoolean() ? 500 : 503) : 200;
    timer.schedule(() -> answer(exchange, status), delay, TimeUnit.MILLISECONDS);
  }

  private void answer(HttpExchange exchange, int status) {
    byte[] body = ("{\"service\":\"" + service + "\",\"instance\":\"" + id + "\",\"path\":\""
        + exchange.getRequestURI().getRawPath() + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(status, body.length);
      out.write(body);
    } catch (IOException e) {
      // The gateway gave up on this call (timeout) or the instance was stopped: nobody listens.
    } finally {
      exchange.close();
    }
  }
}
