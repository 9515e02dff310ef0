package dev.sluice.console.demo;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.Snapshot;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated gateway for demo mode and tests: it serves the real admin gRPC API (agent, telemetry,
 * events, audit, control) on a loopback port, over synthetic traffic to four services with
 * log-normal latencies, occasional failures and a breaker per service that really trips. It is a
 * stand-in, to be replaced by the embedded real agent once the agent's admin server lands; the
 * console attaches to it exactly as to any gateway.
 */
public final class GatewaySimulator implements AutoCloseable {
  static final String VERSION = "0.1.0-simulated";
  private static final Duration TICK = Duration.ofMillis(100);

  private final SimulatedGateway gateway;
  private final ScheduledExecutorService timer;
  private final Server server;

  private GatewaySimulator(SimulatedGateway gateway, ScheduledExecutorService timer, Server server) {
    this.gateway = gateway;
    this.timer = timer;
    this.server = server;
  }

  /** Starts the simulator on a free loopback port with traffic flowing. */
  public static GatewaySimulator start() {
    return start(0);
  }

  /** Starts the simulator on {@code port} of the loopback interface (0 picks a free one). */
  public static GatewaySimulator start(int port) {
    SimulatedGateway gateway = new SimulatedGateway(Clock.systemUTC());
    AtomicInteger threads = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "sluice-simulator-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    int[] bound = new int[1];
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    for (BindableService service : SimulatedAdminServices.all(gateway, timer,
        () -> InetAddress.getLoopbackAddress().getHostAddress() + ":" + bound[0])) {
      builder.addService(io.grpc.ServerInterceptors.intercept(
          service, new SimulatedCaller.Interceptor()));
    }
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      timer.shutdownNow();
      throw new UncheckedIOException("simulated gateway could not listen on loopback", e);
    }
    bound[0] = server.getPort();
    timer.scheduleAtFixedRate(() -> gateway.tick(TICK), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return new GatewaySimulator(gateway, timer, server);
  }

  public String host() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  public int port() {
    return server.getPort();
  }

  public List<String> services() {
    return gateway.serviceNames();
  }

  /** The bearer token that attaches as a read-only viewer; any other token is the operator. */
  public static String viewerToken() {
    return SimulatedCaller.VIEWER_TOKEN;
  }

  /** Makes a service's upstream fail most calls (or recover), so its breaker opens by itself. */
  public void setFailing(String service, boolean failing) {
    gateway.setFailing(service, failing);
  }

  public boolean isFailing(String service) {
    return gateway.isFailing(service);
  }

  public Breaker breaker(String service) {
    return gateway.breaker(service);
  }

  public Instance instance(String service, String instanceId) {
    return gateway.snapshot().getServicesList().stream()
        .filter(s -> s.getName().equals(service))
        .flatMap(s -> s.getInstancesList().stream())
        .filter(i -> i.getId().equals(instanceId))
        .findFirst()
        .orElseThrow();
  }

  public Snapshot snapshot() {
    return gateway.snapshot();
  }

  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
