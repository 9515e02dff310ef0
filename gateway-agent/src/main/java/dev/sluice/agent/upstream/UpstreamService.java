package dev.sluice.agent.upstream;

import java.util.List;

/**
 * A service as one snapshot sees it: its instances, how one is chosen and the per-connection limits.
 * Immutable apart from the selector's own lock-free state; timeouts are in milliseconds.
 */
public record UpstreamService(
        String name,
        List<UpstreamInstance> instances,
        InstanceSelector selector,
        long connectTimeoutMillis,
        long responseTimeoutMillis,
        long idleTimeoutMillis,
        int maxConnectionsPerInstance) {

    public UpstreamService {
        instances = List.copyOf(instances);
    }
}
