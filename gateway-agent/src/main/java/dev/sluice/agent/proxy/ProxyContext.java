package dev.sluice.agent.proxy;

import dev.sluice.agent.runtime.GatewaySnapshot;
import dev.sluice.agent.telemetry.AccessLog;
import io.netty.channel.group.ChannelGroup;
import java.util.function.Supplier;

/**
 * What the proxy handlers share across connections: the current snapshot, the upstream pool, the
 * access log and the set of open client connections (so shutdown can drain them). Thread-safe.
 */
public record ProxyContext(
        Supplier<GatewaySnapshot> snapshots,
        UpstreamPool upstreams,
        AccessLog accessLog,
        ChannelGroup clientConnections) {}
