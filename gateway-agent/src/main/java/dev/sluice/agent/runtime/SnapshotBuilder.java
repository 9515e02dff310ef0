package dev.sluice.agent.runtime;

import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.InstanceConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.proxy.HeaderEdits;
import dev.sluice.agent.proxy.PathRewrite;
import dev.sluice.agent.proxy.ProxyRoute;
import dev.sluice.agent.telemetry.GatewayMetrics;
import dev.sluice.agent.upstream.RoundRobinSelector;
import dev.sluice.agent.upstream.UpstreamInstance;
import dev.sluice.agent.upstream.UpstreamService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config into a {@link GatewaySnapshot}: resolves instance addresses, compiles
 * rewrites, pre-creates every route's meters and builds the routing table. Runs off the event loops
 * (startup, reload) because address resolution may block.
 */
public final class SnapshotBuilder {

    private final GatewayMetrics metrics;
    private final RouteResolverFactory routing;

    public SnapshotBuilder(GatewayMetrics metrics, RouteResolverFactory routing) {
        this.metrics = metrics;
        this.routing = routing;
    }

    public GatewaySnapshot build(GatewayConfig config, long version) {
        Map<String, UpstreamService> services = new LinkedHashMap<>();
        for (ServiceConfig service : config.services()) {
            services.put(service.name(), service(service));
        }
        List<ProxyRoute> routes = new ArrayList<>(config.routes().size());
        for (RouteConfig route : config.routes()) {
            UpstreamService service = services.get(route.service());
            if (service == null) {
                throw new IllegalArgumentException("route " + route.id() + " names unknown service " + route.service());
            }
            long responseTimeout = route.responseTimeout() != null
                    ? route.responseTimeout().toMillis() : service.responseTimeoutMillis();
            routes.add(new ProxyRoute(
                    route.id(),
                    service,
                    PathRewrite.of(route.stripPrefix(), route.rewritePath()),
                    HeaderEdits.of(route.requestHeaders()),
                    HeaderEdits.of(route.responseHeaders()),
                    responseTimeout,
                    route.maxBodyBytes(),
                    metrics.route(route.id(), route.match().methods())));
        }
        return new GatewaySnapshot(version, config, routing.build(config.routes(), routes), services,
                metrics.route(GatewayMetrics.UNMATCHED, List.of()));
    }

    private static UpstreamService service(ServiceConfig config) {
        List<UpstreamInstance> instances = new ArrayList<>(config.instances().size());
        for (InstanceConfig instance : config.instances()) {
            instances.add(UpstreamInstance.resolve(instance.host(), instance.port()));
        }
        return new UpstreamService(config.name(), instances, new RoundRobinSelector(instances),
                config.connectTimeout().toMillis(), config.responseTimeout().toMillis(),
                config.idleTimeout().toMillis(), config.maxConnectionsPerInstance());
    }
}
