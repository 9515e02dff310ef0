package dev.sluice.agent.discovery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps everything a registry tells its listener, for assertions from the test thread. */
final class RecordingListener implements RegistryListener {
  final AtomicReference<List<ServiceInstance>> latest = new AtomicReference<>();
  final List<List<ServiceInstance>> lists = new CopyOnWriteArrayList<>();
  final List<RegistryStatus> statuses = new CopyOnWriteArrayList<>();

  @Override
  public void onInstances(String service, List<ServiceInstance> instances) {
    lists.add(instances);
    latest.set(instances);
  }

  @Override
  public void onStatus(String service, RegistryStatus status) {
    statuses.add(status);
  }

  List<String> ids() {
    List<ServiceInstance> list = latest.get();
    return list == null ? List.of() : list.stream().map(ServiceInstance::id).toList();
  }

  ServiceInstance instance(String id) {
    return latest.get().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
  }
}
