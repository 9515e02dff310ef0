package dev.sluice.agent.upstream;

import dev.sluice.agent.balancing.Endpoint;
import dev.sluice.agent.resilience.InstanceCallStats;
import dev.sluice.agent.resilience.OutlierDetector;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream instance as a snapshot sees it. The address is resolved when the snapshot is built
 * (off the event loop), so connecting never does a DNS lookup on an event loop; {@code label} is
 * {@code host:port}. The stateful parts ({@code endpoint} with its in-flight count, breaker counters,
 * outlier state, the live drain flag) are shared by every snapshot that lists the instance.
 *
 * @param drained whether this snapshot takes the instance out of rotation
 * @param drainedNow the drain flag as of now (a request of an older snapshot reads it to close, not pool,
 *     its connection to an instance drained since)
 */
public record UpstreamInstance(
        String id,
        String label,
        InetSocketAddress address,
        Endpoint endpoint,
        InstanceCallStats calls,
        OutlierDetector.Instance outlier,
        boolean drained,
        AtomicBoolean drainedNow) {

    @Override
    public String toString() {
        return label;
    }
}
