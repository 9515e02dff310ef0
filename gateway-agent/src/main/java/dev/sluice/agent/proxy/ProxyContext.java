package dev.sluice.agent.proxy;

import dev.sluice.agent.runtime.GatewaySnapshot;
import dev.sluice.agent.telemetry.AccessLog;
import io.netty.channel.group.ChannelGroup;
import java.util.function.Supplier;

/**
 * What the proxy handlers share across connections: the current snapshot, the upstream pool, the
 * access log, the set of open client connections (so shutdown can drain them) and the refusal
 * counters. Thread-safe.
 */
public record ProxyContext(
        Supplier<GatewaySnapshot> snapshots,
        UpstreamPool upstreams,
        AccessLog accessLog,
        ChannelGroup clientConnections,
        ProxyMeters meters) {

    /** A context whose refusal counters are registered nowhere (handlers tested on their own). */
    public ProxyContext(Supplier<GatewaySnapshot> snapshots, UpstreamPool upstreams, AccessLog accessLog,
                        ChannelGroup clientConnections) {
        this(snapshots, upstreams, accessLog, clientConnections, ProxyMeters.unregistered());
    }
}
