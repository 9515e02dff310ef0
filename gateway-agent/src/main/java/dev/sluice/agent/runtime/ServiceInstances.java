package dev.sluice.agent.runtime;

import dev.sluice.agent.discovery.RegistryStatus;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.health.InstanceHealth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A service's instances at one moment: the registry's list (file order for the file's instances,
 * id order for Consul), the active check's view of each and how current the list is. Immutable.
 *
 * @param checks active-check states by instance id; null when the service has no active check
 * @param status the registry's freshness; a stale list is the last known one, still used
 */
public record ServiceInstances(List<ServiceInstance> instances, @Nullable Map<String, InstanceHealth> checks,
                               RegistryStatus status) {

    public ServiceInstances {
        instances = List.copyOf(instances);
        checks = checks == null ? null : Map.copyOf(checks);
    }

    /** The active check's view of the instance; null when the service has no check (UNKNOWN before the first). */
    public @Nullable InstanceHealth check(String instanceId) {
        return checks == null ? null : checks.get(instanceId);
    }

    /** The instance with this id, or null. */
    public @Nullable ServiceInstance instance(String id) {
        for (ServiceInstance instance : instances) {
            if (instance.id().equals(id)) {
                return instance;
            }
        }
        return null;
    }

    /** Whether the list may be out of date: the registry failed (and had or had not answered before). */
    public boolean stale() {
        return status.isStale() || status.freshness() == RegistryStatus.Freshness.LOADING && status.lastError() != null;
    }
}
