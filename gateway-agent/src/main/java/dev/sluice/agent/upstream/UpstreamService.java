package dev.sluice.agent.upstream;

import dev.sluice.agent.resilience.CircuitBreaker;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.RetryBudget;
import java.util.List;

/**
 * A service as one snapshot sees it: its instances, how one is chosen, the per-connection limits and
 * its protections (breaker, outlier detection, retry budget). The protections are stateful objects
 * that outlive the snapshot (they are rebuilt only when their settings change); timeouts are in
 * milliseconds.
 */
public record UpstreamService(
        String name,
        List<UpstreamInstance> instances,
        InstanceSelector selector,
        long connectTimeoutMillis,
        long responseTimeoutMillis,
        long idleTimeoutMillis,
        int maxConnectionsPerInstance,
        CircuitBreaker breaker,
        OutlierDetector outlier,
        RetryBudget retryBudget) {

    public UpstreamService {
        instances = List.copyOf(instances);
    }
}
