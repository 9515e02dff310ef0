package dev.sluice.agent.config;

import dev.sluice.agent.discovery.RegistrySettings;
import dev.sluice.agent.health.HealthCheckSettings;
import dev.sluice.agent.resilience.BreakerSettings;
import dev.sluice.agent.resilience.HealthFloor;
import dev.sluice.agent.resilience.OutlierSettings;
import dev.sluice.agent.tls.UpstreamTlsSettings;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An upstream service: its instances, how the agent talks to them and how it protects them.
 * {@code responseTimeout} is the wait for response headers after the request was sent;
 * {@code idleTimeout} closes a connection, pooled or busy, that has seen no traffic for that long.
 * {@code minHealthyPercent} is the healthy-instance floor a drain must keep (see docs/resilience.md).
 * Instances come from {@code instances} unless {@code consul} names a Consul registry (then {@code
 * instances} is empty and the registry lists them at run time; see docs/discovery.md).
 * With {@code tls} every connection to an instance speaks TLS (see docs/tls.md).
 *
 * @param consul where the service's instances are watched in Consul; null for the file's instances
 * @param healthCheck the active health check; null when the agent does not check the instances itself
 * @param consulMaintenance whether a drain also puts the instance in Consul maintenance mode
 * @param tls how connections to the instances are encrypted; null for plaintext
 */
public record ServiceConfig(
        String name,
        List<InstanceConfig> instances,
        BalancerKind balancer,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        int maxConnectionsPerInstance,
        BreakerSettings breaker,
        OutlierSettings outlier,
        double minHealthyPercent,
        RegistrySettings.@Nullable ConsulRegistry consul,
        @Nullable HealthCheckSettings healthCheck,
        boolean consulMaintenance,
        @Nullable UpstreamTlsSettings tls) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_INSTANCE = 1024;
    public static final double DEFAULT_MIN_HEALTHY_PERCENT = HealthFloor.DEFAULT.minHealthyPercent();

    public ServiceConfig {
        instances = List.copyOf(instances);
    }

    /** A plaintext service with the file's instances, no active health check and no Consul maintenance on drain. */
    public ServiceConfig(String name, List<InstanceConfig> instances, BalancerKind balancer, Duration connectTimeout,
                         Duration responseTimeout, Duration idleTimeout, int maxConnectionsPerInstance,
                         BreakerSettings breaker, OutlierSettings outlier, double minHealthyPercent) {
        this(name, instances, balancer, connectTimeout, responseTimeout, idleTimeout, maxConnectionsPerInstance,
                breaker, outlier, minHealthyPercent, null, null, false, null);
    }

    /** This service with its instances found as {@code consul} says, checked by {@code healthCheck}. */
    public ServiceConfig withDiscovery(RegistrySettings.@Nullable ConsulRegistry consul,
                                       @Nullable HealthCheckSettings healthCheck, boolean consulMaintenance) {
        return new ServiceConfig(name, instances, balancer, connectTimeout, responseTimeout, idleTimeout,
                maxConnectionsPerInstance, breaker, outlier, minHealthyPercent, consul, healthCheck, consulMaintenance, tls);
    }

    /** A service with the default breaker, outlier detection and floor. */
    public ServiceConfig(String name, List<InstanceConfig> instances, BalancerKind balancer, Duration connectTimeout,
                         Duration responseTimeout, Duration idleTimeout, int maxConnectionsPerInstance) {
        this(name, instances, balancer, connectTimeout, responseTimeout, idleTimeout, maxConnectionsPerInstance,
                BreakerSettings.DEFAULTS, OutlierSettings.DEFAULTS, DEFAULT_MIN_HEALTHY_PERCENT);
    }

    /** The instance with this id, or null. */
    public @Nullable InstanceConfig instance(String id) {
        for (InstanceConfig instance : instances) {
            if (instance.id().equals(id)) {
                return instance;
            }
        }
        return null;
    }
}
