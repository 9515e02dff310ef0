package dev.sluice.agent.control;

import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.resilience.BreakerSnapshot;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's effective state at one version, as the admin API's snapshot shows it: the file's
 * config with the runtime changes on top, every breaker and every instance with the inputs to whether
 * it serves. Immutable.
 */
public record GatewayState(long version, Instant takenAt, List<RouteState> routes, List<ServiceState> services) {

    public GatewayState {
        routes = List.copyOf(routes);
        services = List.copyOf(services);
    }

    /**
     * A route in force.
     *
     * @param fromFile true when the file defines a route with this id (it may still differ at runtime)
     * @param differsFromFile true when created or changed at runtime
     * @param configuredLimit the file's limit; null when the file sets none
     * @param effectiveLimit the limit in force; null when unlimited
     * @param limitOverride present when effectiveLimit was set at runtime
     */
    public record RouteState(RouteConfig route, boolean fromFile, boolean differsFromFile,
                             Change.@Nullable RateLimit configuredLimit, Change.@Nullable RateLimit effectiveLimit,
                             @Nullable OverrideInfo limitOverride) {
    }

    /**
     * A service with its breaker and instances.
     *
     * @param breaker the breaker's computed state and counters, with the override kind if any
     * @param breakerOverride who set the breaker override and until when; null when none
     * @param routeIds the routes whose traffic goes to this service (a trip's blast radius)
     * @param registryStatus the registry's freshness in words ({@code RegistryStatus.describe()})
     */
    public record ServiceState(ServiceConfig config, BreakerSnapshot breaker, @Nullable OverrideInfo breakerOverride,
                               List<InstanceState> instances, boolean registryStale, double minHealthyPercent,
                               List<String> routeIds, String registryStatus) {
        public ServiceState {
            instances = List.copyOf(instances);
            routeIds = List.copyOf(routeIds);
        }

        /** A service whose registry is fresh. */
        public ServiceState(ServiceConfig config, BreakerSnapshot breaker, @Nullable OverrideInfo breakerOverride,
                            List<InstanceState> instances, boolean registryStale, double minHealthyPercent,
                            List<String> routeIds) {
            this(config, breaker, breakerOverride, instances, registryStale, minHealthyPercent, routeIds, "fresh");
        }
    }

    /** Registry health as the registry reports it. */
    public enum RegistryHealth { PASSING, WARNING, CRITICAL }

    /** The active health check's verdict. */
    public enum CheckHealth { DISABLED, UNKNOWN, HEALTHY, UNHEALTHY }

    /**
     * One instance and every input to whether it gets traffic.
     *
     * @param serving registry health ∧ active check ∧ not drained ∧ not ejected (or the service is in panic)
     * @param notServingReason why not, in words ("drained by alice: deploy rollback"); "" when serving
     */
    public record InstanceState(String id, String host, int port, int weight, String zone,
                                RegistryHealth registryHealth, CheckHealth checkHealth,
                                @Nullable Instant ejectedUntil, @Nullable OverrideInfo drain,
                                boolean serving, String notServingReason) {
    }
}
