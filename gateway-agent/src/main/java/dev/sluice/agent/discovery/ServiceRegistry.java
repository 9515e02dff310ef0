package dev.sluice.agent.discovery;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The instances of one service, kept current by a provider ({@code static} or {@code consul}). Call
 * {@link #start} once; the listener then receives the list whenever it changes. A registry that loses
 * its source keeps the last known instances and reports itself stale; it never empties the list
 * because of an error.
 */
public interface ServiceRegistry extends AutoCloseable {

  /** The Sluice service this registry serves. */
  String service();

  /** Starts watching; the first list is delivered as soon as it is known. Call once. */
  void start(RegistryListener listener);

  /** The last known instances, id-sorted; empty before the first answer. */
  List<ServiceInstance> instances();

  RegistryStatus status();

  /** Stops watching; no listener call starts after this returns. Idempotent. */
  @Override
  void close();

  /**
   * The registry {@code settings} describe, not yet started.
   *
   * @param meters where the registry's gauges and counters go; they are removed on {@link #close()}
   * @throws IllegalArgumentException if {@code settings.validate()} reports violations or the TLS
   *     material is unusable
   * @throws java.io.UncheckedIOException if the Consul token file or TLS files cannot be read
   */
  static ServiceRegistry create(String service, RegistrySettings settings, MeterRegistry meters) {
    RegistrySettings.requireValid(settings);
    if (settings instanceof RegistrySettings.ConsulRegistry consul) {
      return new ConsulServiceRegistry(service, consul, meters);
    }
    return new StaticServiceRegistry(service, (RegistrySettings.StaticRegistry) settings);
  }
}
