package dev.sluice.agent.health;

import dev.sluice.agent.runtime.Transport;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The home of every active health check: one Netty event loop group (one thread by default, named
 * {@code sluice-health}) apart from the proxy's event loops, so checks never delay a request and a
 * slow or hung instance costs a timer, not a thread. Create one per agent, make a checker per service,
 * close it last.
 */
public final class HealthChecks implements AutoCloseable {
  private final Transport transport;
  private final MultiThreadIoEventLoopGroup group;
  private final Clock clock;

  public HealthChecks() {
    this(Transport.best(), 1, Clock.systemUTC());
  }

  HealthChecks(Transport transport, int threads, Clock clock) {
    this.transport = transport;
    this.group = transport.newGroup("sluice-health", threads);
    this.clock = clock;
  }

  /** A checker for one service, idle until it is given instances. */
  public ActiveHealthChecker checker(String service, HealthCheckSettings settings, HealthFlipListener listener) {
    return new ActiveHealthChecker(service, settings, group.next(), transport.socketChannel(), clock, listener);
  }

  /** Stops every check and the event loop; waits up to 5 s. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
