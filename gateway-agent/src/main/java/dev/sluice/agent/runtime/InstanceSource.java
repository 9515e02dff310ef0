package dev.sluice.agent.runtime;

import dev.sluice.agent.config.InstanceConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.discovery.MaintenanceResult;
import dev.sluice.agent.discovery.RegistryHealth;
import dev.sluice.agent.discovery.RegistryStatus;
import dev.sluice.agent.discovery.ServiceInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where snapshots and the control plane find a service's instances now, with what its registry and
 * active health check say about each. {@link #FILE} lists the config file's instances, always
 * passing and unchecked; {@link ServiceDiscovery} follows the registries and runs the checks.
 */
public interface InstanceSource {

    /** The file's instances, passing, unchecked, fresh; no Consul. */
    InstanceSource FILE = new InstanceSource() {
        private final RegistryStatus fresh = RegistryStatus.fresh(Instant.EPOCH);

        @Override
        public ServiceInstances instances(ServiceConfig service) {
            return new ServiceInstances(fromFile(service), null, fresh);
        }
    };

    /** The service's instances now; never throws, an unknown service gets its file's instances. */
    ServiceInstances instances(ServiceConfig service);

    /**
     * Puts an instance of a Consul service in maintenance mode or takes it out. Blocks for one HTTP
     * call; never call it on an event loop. A failure is in the result, never thrown.
     */
    default MaintenanceResult setMaintenance(String service, String instanceId, boolean enable, String reason) {
        return MaintenanceResult.failed("service " + service + " is not watched in Consul");
    }

    /** The file's instances of {@code service} as registry instances (id, weight and zone kept). */
    static List<ServiceInstance> fromFile(ServiceConfig service) {
        List<ServiceInstance> list = new ArrayList<>(service.instances().size());
        for (InstanceConfig instance : service.instances()) {
            list.add(new ServiceInstance(instance.id(), instance.host(), instance.port(), instance.weight(),
                    instance.zone().isEmpty() ? null : instance.zone(), RegistryHealth.PASSING, List.of(), Map.of()));
        }
        return List.copyOf(list);
    }
}
