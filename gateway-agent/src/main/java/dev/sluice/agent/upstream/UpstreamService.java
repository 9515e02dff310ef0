package dev.sluice.agent.upstream;

import dev.sluice.agent.resilience.CircuitBreaker;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.RetryBudget;
import dev.sluice.agent.tls.UpstreamTls;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A service as one snapshot sees it: its instances, how one is chosen, the per-connection limits and
 * its protections (breaker, outlier detection, retry budget). The protections are stateful objects
 * that outlive the snapshot (they are rebuilt only when their settings change); timeouts are in
 * milliseconds. {@code tls} is null for a plaintext service.
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
        RetryBudget retryBudget,
        @Nullable UpstreamTls tls) {

    public UpstreamService {
        instances = List.copyOf(instances);
    }

    /** A plaintext service. */
    public UpstreamService(String name, List<UpstreamInstance> instances, InstanceSelector selector,
                           long connectTimeoutMillis, long responseTimeoutMillis, long idleTimeoutMillis,
                           int maxConnectionsPerInstance, CircuitBreaker breaker, OutlierDetector outlier,
                           RetryBudget retryBudget) {
        this(name, instances, selector, connectTimeoutMillis, responseTimeoutMillis, idleTimeoutMillis,
                maxConnectionsPerInstance, breaker, outlier, retryBudget, null);
    }
}
