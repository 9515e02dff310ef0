package dev.sluice.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * An upstream service: its instances and how the agent talks to them. {@code responseTimeout} is the
 * wait for response headers after the request was sent; {@code idleTimeout} closes a connection,
 * pooled or busy, that has seen no traffic for that long.
 */
public record ServiceConfig(
        String name,
        List<InstanceConfig> instances,
        BalancerKind balancer,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        int maxConnectionsPerInstance) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_INSTANCE = 1024;

    public ServiceConfig {
        instances = List.copyOf(instances);
    }
}
