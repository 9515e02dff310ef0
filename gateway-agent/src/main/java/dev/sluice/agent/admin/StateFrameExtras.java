package dev.sluice.agent.admin;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.control.GatewayState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a telemetry frame's config version, breakers and instances from the control plane's state.
 * The state is read at most once per {@link #REFRESH} and shared by every watcher's frames, so a
 * dozen watchers cost one read per tick, not a dozen.
 */
public final class StateFrameExtras implements FrameExtras {

  static final Duration REFRESH = Duration.ofMillis(100);

  private final GatewayControl control;
  private final OverrideLedger ledger;
  private final Clock clock;
  private volatile Cached cached = new Cached(Instant.EPOCH, 0, List.of(), List.of());

  private record Cached(Instant at, long version, List<Breaker> breakers, List<InstanceTelemetry> instances) {}

  public StateFrameExtras(GatewayControl control, OverrideLedger ledger, Clock clock) {
    this.control = control;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public void addTo(TelemetryFrame.Builder frame) {
    Cached current = current();
    frame.setConfigVersion(current.version()).addAllBreakers(current.breakers())
        .addAllInstances(current.instances());
  }

  private Cached current() {
    Instant now = clock.instant();
    Cached current = cached;
    if (Duration.between(current.at(), now).compareTo(REFRESH) < 0) {
      return current;
    }
    GatewayState state = control.state();
    List<Breaker> breakers = new ArrayList<>();
    List<InstanceTelemetry> instances = new ArrayList<>();
    for (GatewayState.ServiceState service : state.services()) {
      breakers.add(StateProtoMapper.breaker(service, state.takenAt(), ledger::auditEntryId));
      for (GatewayState.InstanceState instance : service.instances()) {
        instances.add(StateProtoMapper.instanceTelemetry(service.config().name(), instance, now));
      }
    }
    Cached next = new Cached(now, state.version(), List.copyOf(breakers), List.copyOf(instances));
    cached = next;
    return next;
  }
}
