package dev.sluice.agent.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin server's own meters: {@code sluice.admin.calls} (by rpc and status code),
 * {@code sluice.admin.watchers} (open streams, by kind), {@code sluice.admin.frames.coalesced}
 * (telemetry frames merged into later ones because a watcher read too slowly) and
 * {@code sluice.admin.frames.encoded} (telemetry frame bodies serialized, once per group of
 * watchers that receive the same frame).
 */
public final class AdminMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger telemetryWatchers = new AtomicInteger();
  private final AtomicInteger eventWatchers = new AtomicInteger();
  private final Counter coalescedFrames;
  private final Counter encodedFrames;

  public AdminMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("sluice.admin.watchers", telemetryWatchers, AtomicInteger::get)
        .tag("kind", "telemetry").description("Open WatchTelemetry streams").register(registry);
    Gauge.builder("sluice.admin.watchers", eventWatchers, AtomicInteger::get)
        .tag("kind", "events").description("Open WatchEvents streams").register(registry);
    coalescedFrames = Counter.builder("sluice.admin.frames.coalesced")
        .description("Telemetry frames merged into a later one because the watcher was slow")
        .register(registry);
    encodedFrames = Counter.builder("sluice.admin.frames.encoded")
        .description("Telemetry frame bodies serialized; watchers sent the same frame share one")
        .register(registry);
  }

  /** Counts one finished call. */
  public void callFinished(String rpc, String code) {
    registry.counter("sluice.admin.calls", Tags.of(Tag.of("rpc", rpc), Tag.of("code", code)))
        .increment();
  }

  public AtomicInteger telemetryWatchers() {
    return telemetryWatchers;
  }

  public AtomicInteger eventWatchers() {
    return eventWatchers;
  }

  public void framesCoalesced(long frames) {
    coalescedFrames.increment(frames);
  }

  public void frameEncoded() {
    encodedFrames.increment();
  }
}
