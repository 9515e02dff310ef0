package dev.sluice.agent.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Instances from the config file: always passing, always fresh; the list changes only with the config. */
final class StaticServiceRegistry implements ServiceRegistry {
  private final String service;
  private final List<ServiceInstance> instances;
  private final RegistryStatus status = RegistryStatus.fresh(Instant.now());
  private final AtomicBoolean started = new AtomicBoolean();

  StaticServiceRegistry(String service, RegistrySettings.StaticRegistry settings) {
    this.service = service;
    List<ServiceInstance> list = new ArrayList<>(settings.instances().size());
    for (RegistrySettings.StaticInstance instance : settings.instances()) {
      list.add(ServiceInstance.ofStatic(instance.host(), instance.port(), instance.weight(), instance.zone()));
    }
    list.sort(Comparator.comparing(ServiceInstance::id));
    this.instances = List.copyOf(list);
  }

  @Override
  public String service() {
    return service;
  }

  /** Delivers the list and the fresh status on the calling thread, before returning. */
  @Override
  public void start(RegistryListener listener) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("registry of " + service + " already started");
    }
    listener.onInstances(service, instances);
    listener.onStatus(service, status);
  }

  @Override
  public List<ServiceInstance> instances() {
    return instances;
  }

  @Override
  public RegistryStatus status() {
    return status;
  }

  @Override
  public void close() {}
}
