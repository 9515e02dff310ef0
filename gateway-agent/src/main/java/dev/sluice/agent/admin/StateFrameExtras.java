package dev.sluice.agent.admin;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.resilience.InstanceCallStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fills a telemetry frame's config version, breakers and instances from the control plane's state.
 * The state is read at most once per {@link #REFRESH} or new frame end and shared by every watcher's
 * frames, so a dozen watchers cost one read per tick, not a dozen. Per-instance requests and failures
 * are the breaker's cumulative counters differenced over the frame's interval; in-flight stays 0.
 */
public final class StateFrameExtras implements FrameExtras {

  static final Duration REFRESH = Duration.ofMillis(100);
  /** Counter samples kept, one per frame end: a minute of 1 s frames, 6.4 s of 100 ms ones. */
  static final int SAMPLES = 64;
  private static final long[] NONE = new long[2];

  private final GatewayControl control;
  private final OverrideLedger ledger;
  private final Clock clock;
  private volatile Cached cached = new Cached(Instant.EPOCH, 0, List.of(), List.of());
  private final ArrayDeque<Sample> samples = new ArrayDeque<>(SAMPLES);

  private record Cached(Instant at, long version, List<Breaker> breakers, List<InstanceTelemetry> instances) {}

  /** Cumulative calls and failures per "service/instance" as they stood at a frame's end. */
  private record Sample(Instant at, Map<String, long[]> totals) {}

  public StateFrameExtras(GatewayControl control, OverrideLedger ledger, Clock clock) {
    this.control = control;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public synchronized void addTo(TelemetryFrame.Builder frame) {
    Instant end = AdminProtoMapper.instant(frame.getTime());
    Instant start = end.minus(AdminProtoMapper.duration(frame.getInterval()));
    Cached current = current(end);
    frame.setConfigVersion(current.version()).addAllBreakers(current.breakers());
    @Nullable Sample to = sampleAtOrBefore(end);
    @Nullable Sample from = sampleAtOrBefore(start);
    if (to == null || from == null || to == from) {
      frame.addAllInstances(current.instances());
      return;
    }
    for (InstanceTelemetry instance : current.instances()) {
      String key = key(instance.getService(), instance.getInstanceId());
      long[] now = to.totals().get(key);
      if (now == null) {
        frame.addInstances(instance);
        continue;
      }
      long[] before = from.totals().getOrDefault(key, NONE);
      frame.addInstances(instance.toBuilder()
          .setRequests(Math.max(0, now[0] - before[0]))
          .setFailures(Math.max(0, now[1] - before[1])));
    }
  }

  /** The newest sample taken at or before {@code at}; null when the ring does not reach back that far. */
  private @Nullable Sample sampleAtOrBefore(Instant at) {
    Iterator<Sample> newestFirst = samples.descendingIterator();
    while (newestFirst.hasNext()) {
      Sample sample = newestFirst.next();
      if (!sample.at().isAfter(at)) {
        return sample;
      }
    }
    return null;
  }

  private Cached current(Instant frameEnd) {
    Instant now = clock.instant();
    Cached current = cached;
    @Nullable Sample last = samples.peekLast();
    boolean newFrameEnd = last == null || frameEnd.isAfter(last.at());
    if (!newFrameEnd && Duration.between(current.at(), now).compareTo(REFRESH) < 0) {
      return current;
    }
    GatewayState state = control.state();
    List<Breaker> breakers = new ArrayList<>();
    List<InstanceTelemetry> instances = new ArrayList<>();
    Map<String, long[]> totals = new HashMap<>();
    for (GatewayState.ServiceState service : state.services()) {
      String name = service.config().name();
      breakers.add(StateProtoMapper.breaker(service, state.takenAt(), ledger::auditEntryId));
      for (InstanceCallStats.Snapshot stats : service.breaker().instances()) {
        totals.put(key(name, stats.instanceId()), new long[] {stats.calls(), stats.failedCalls()});
      }
      for (GatewayState.InstanceState instance : service.instances()) {
        instances.add(StateProtoMapper.instanceTelemetry(name, instance, now));
      }
    }
    if (newFrameEnd) {
      if (samples.size() == SAMPLES) {
        samples.removeFirst();
      }
      samples.addLast(new Sample(frameEnd, totals));
    }
    Cached next = new Cached(now, state.version(), List.copyOf(breakers), List.copyOf(instances));
    cached = next;
    return next;
  }

  private static String key(String service, String instanceId) {
    return service + '/' + instanceId;
  }
}
