package dev.sluice.agent.health;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.discovery.ServiceInstance;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active HTTP health checks of one service's instances, made by {@link HealthChecks#checker}.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>Each instance the registry lists is checked, whatever its registry health, one check at a
 *       time: the next check starts {@code interval} ±10 % after the previous one ended. A new instance
 *       is first checked within the first second (at a random moment, so many start spread out).
 *   <li>A check passes when the instance answers with an expected status within {@code timeout}
 *       (connect included); otherwise it fails with a reason: {@code "connect refused"}, {@code
 *       "timeout after 1s"}, {@code "status 503"}, {@code "connection closed before a response"}.
 *   <li>UNKNOWN → HEALTHY on the first pass; HEALTHY or UNKNOWN → UNHEALTHY after {@code
 *       unhealthyThreshold} failures in a row; UNHEALTHY → HEALTHY after {@code healthyThreshold}
 *       passes in a row. A change to or from UNHEALTHY is a {@link HealthFlip}.
 *   <li>{@link #updateInstances} follows the registry: new ids start UNKNOWN, gone ids are forgotten
 *       (an answer still in flight for them is dropped), an id whose address changed starts over.
 * </ul>
 *
 * <p>All state lives on one event loop of the health group; {@link #snapshot()} may be called from
 * any thread. The listener runs on that loop.
 */
public final class ActiveHealthChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);

  private final String service;
  private final HealthCheckSettings settings;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final Clock clock;
  private final HealthFlipListener listener;
  private final ConcurrentHashMap<String, Tracker> trackers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ActiveHealthChecker(String service, HealthCheckSettings settings, EventLoop loop,
      Class<? extends SocketChannel> channelType, Clock clock, HealthFlipListener listener) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid health check settings: " + violations);
    }
    this.service = service;
    this.settings = settings;
    this.loop = loop;
    this.channelType = channelType;
    this.clock = clock;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public String service() {
    return service;
  }

  public HealthCheckSettings settings() {
    return settings;
  }

  /** Makes the checked set follow {@code instances} (the registry's full list). Any thread. */
  public void updateInstances(List<ServiceInstance> instances) {
    List<ServiceInstance> copy = List.copyOf(instances);
    loop.execute(() -> apply(copy));
  }

  /** Every checked instance's state now, by instance id. Any thread. */
  public Map<String, InstanceHealth> snapshot() {
    Map<String, InstanceHealth> result = new HashMap<>();
    for (Tracker tracker : trackers.values()) {
      result.put(tracker.instanceId, tracker.health);
    }
    return Map.copyOf(result);
  }

  /** One instance's state; UNKNOWN for an id not (yet) checked. */
  public InstanceHealth health(String instanceId) {
    Tracker tracker = trackers.get(instanceId);
    return tracker == null ? InstanceHealth.unknown(instanceId) : tracker.health;
  }

  /** Stops checking; no flip is announced after the checks in flight end. */
  @Override
  public void close() {
    closed = true;
    loop.execute(() -> {
      for (Tracker tracker : trackers.values()) {
        tracker.stop();
      }
      trackers.clear();
    });
  }

  private void apply(List<ServiceInstance> instances) {
    if (closed) {
      return;
    }
    Map<String, ServiceInstance> wanted = new HashMap<>();
    for (ServiceInstance instance : instances) {
      wanted.put(instance.id(), instance);
    }
    List<String> gone = new ArrayList<>();
    for (Tracker tracker : trackers.values()) {
      ServiceInstance instance = wanted.get(tracker.instanceId);
      if (instance == null || !instance.host().equals(tracker.host) || instance.port() != tracker.port) {
        gone.add(tracker.instanceId);
      }
    }
    for (String id : gone) {
      trackers.remove(id).stop();
    }
    List<ServiceInstance> added = new ArrayList<>();
    for (ServiceInstance instance : wanted.values()) {
      if (!trackers.containsKey(instance.id())) {
        added.add(instance);
      }
    }
    added.sort(Comparator.comparing(ServiceInstance::id));
    for (ServiceInstance instance : added) {
      Tracker tracker = new Tracker(instance.id(), instance.host(), instance.port());
      trackers.put(instance.id(), tracker);
      long firstDelay = ThreadLocalRandom.current().nextLong(Math.min(settings.interval().toNanos(), 1_000_000_000L));
      tracker.schedule(firstDelay);
    }
  }

  private long nextDelayNanos() {
    long interval = settings.interval().toNanos();
    long spread = (long) (interval * HealthCheckSettings.JITTER);
    return interval - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1);
  }

  /** One instance's check loop; touched only on {@link #loop} (its health is read from anywhere). */
  private final class Tracker {
    final String instanceId;
    final String host;
    final int port;
    volatile InstanceHealth health;
    private boolean stopped;
    private io.netty.util.concurrent.@Nullable ScheduledFuture<?> next;

    Tracker(String instanceId, String host, int port) {
      this.instanceId = instanceId;
      this.host = host;
      this.port = port;
      this.health = InstanceHealth.unknown(instanceId);
    }

    void schedule(long delayNanos) {
      next = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    void check() {
      if (stopped || closed) {
        return;
      }
      new HealthProbe(loop, channelType, settings, host, port, this::record).start();
    }

    void record(String outcome) {
      if (stopped || closed) {
        return;
      }
      InstanceHealth before = health;
      boolean passed = outcome.equals(HealthProbe.PASSED);
      int successes = passed ? before.consecutiveSuccesses() + 1 : 0;
      int failures = passed ? 0 : before.consecutiveFailures() + 1;
      CheckState state = before.state();
      if (passed && (state == CheckState.UNKNOWN || state == CheckState.UNHEALTHY && successes >= settings.healthyThreshold())) {
        state = CheckState.HEALTHY;
      } else if (!passed && state != CheckState.UNHEALTHY && failures >= settings.unhealthyThreshold()) {
        state = CheckState.UNHEALTHY;
      }
      Instant now = clock.instant();
      health = new InstanceHealth(instanceId, state, passed ? before.lastFailure() : outcome, successes, failures, now);
      if ((state == CheckState.UNHEALTHY) != (before.state() == CheckState.UNHEALTHY)) {
        boolean healthy = state != CheckState.UNHEALTHY;
        HealthFlip flip = new HealthFlip(service, instanceId, host + ":" + port, healthy,
            healthy ? "health check passing" : outcome, now);
        if (healthy) {
          LOG.info("health {}/{}: healthy again after {} passing checks", service, instanceId, successes);
        } else {
          LOG.warn("health {}/{}: unhealthy after {} failing checks: {}", service, instanceId, failures, outcome);
        }
        try {
          listener.onFlip(flip);
        } catch (RuntimeException e) {
          LOG.warn("health flip listener failed for {}/{}", service, instanceId, e);
        }
      }
      schedule(nextDelayNanos());
    }

    void stop() {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
  }
}
