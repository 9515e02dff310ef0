package dev.sluice.agent.discovery;

import java.util.List;

/**
 * Told when a registry's instances or its status change. Called on the registry's own thread, one
 * call at a time per registry, never on a Netty event loop; keep it short (build and swap a snapshot,
 * or hand off) because the registry waits for it before its next query.
 */
public interface RegistryListener {

  /** The complete, immutable, id-sorted instance list after a change (an empty list is a real answer). */
  void onInstances(String service, List<ServiceInstance> instances);

  /** The registry's status changed (fresh, stale, loading). */
  default void onStatus(String service, RegistryStatus status) {}
}
