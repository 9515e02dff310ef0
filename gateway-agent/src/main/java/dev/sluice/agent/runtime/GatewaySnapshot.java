package dev.sluice.agent.runtime;

import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.proxy.RouteResolver;
import dev.sluice.agent.telemetry.RouteMetrics;
import dev.sluice.agent.upstream.UpstreamService;
import java.util.Map;

/**
 * Everything a request needs from configuration, frozen: the config version (increasing with every
 * config change; a rebuild for a registry or health change keeps it), the config it came from, the
 * routing table and the services with the instances that serve. A request reads the current snapshot
 * once when it starts and uses only that one until it ends.
 */
public record GatewaySnapshot(
        long version,
        GatewayConfig config,
        RouteResolver routes,
        Map<String, UpstreamService> services,
        RouteMetrics unmatched) {

    public GatewaySnapshot {
        services = Map.copyOf(services);
    }

    public boolean accessLogEnabled() {
        return config.accessLog().enabled();
    }
}
