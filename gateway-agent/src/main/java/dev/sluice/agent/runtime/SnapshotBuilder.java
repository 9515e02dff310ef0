package dev.sluice.agent.runtime;

import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.health.CheckState;
import dev.sluice.agent.health.InstanceHealth;
import dev.sluice.agent.proxy.HeaderEdits;
import dev.sluice.agent.proxy.PathRewrite;
import dev.sluice.agent.proxy.ProxyRoute;
import dev.sluice.agent.proxy.RouteFilters;
import dev.sluice.agent.proxy.RouteLimiter;
import dev.sluice.agent.resilience.CircuitBreaker;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.Ticker;
import dev.sluice.agent.telemetry.GatewayMetrics;
import dev.sluice.agent.telemetry.RouteRecorder;
import dev.sluice.agent.telemetry.TelemetryHub;
import dev.sluice.agent.tls.UpstreamTls;
import dev.sluice.agent.tls.UpstreamTlsCache;
import dev.sluice.agent.upstream.ServingSelector;
import dev.sluice.agent.upstream.UpstreamInstance;
import dev.sluice.agent.upstream.UpstreamService;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Turns a validated config (and the set of drained instances) into a {@link GatewaySnapshot}: takes
 * each service's instances from the {@link InstanceSource} (the file's, or a registry's with the
 * active checks' verdicts), resolves instance addresses, compiles rewrites, pre-creates every route's meters, takes each
 * service's and route's stateful protections from the {@link ResilienceRegistry} and builds the
 * routing table. Runs off the event loops (startup, reload, runtime changes) because address
 * resolution may block.
 */
public final class SnapshotBuilder {

    private final GatewayMetrics metrics;
    private final RouteResolverFactory routing;
    private final ResilienceRegistry registry;
    private final @Nullable TelemetryHub telemetry;
    private final InstanceSource instances;
    private final UpstreamTlsCache upstreamTls = new UpstreamTlsCache();

    public SnapshotBuilder(GatewayMetrics metrics, RouteResolverFactory routing, ResilienceRegistry registry,
                           @Nullable TelemetryHub telemetry, InstanceSource instances) {
        this.metrics = metrics;
        this.routing = routing;
        this.registry = registry;
        this.telemetry = telemetry;
        this.instances = instances;
    }

    /** A builder over the file's instances only. */
    public SnapshotBuilder(GatewayMetrics metrics, RouteResolverFactory routing, ResilienceRegistry registry,
                           @Nullable TelemetryHub telemetry) {
        this(metrics, routing, registry, telemetry, InstanceSource.FILE);
    }

    /** A builder with its own registry and no telemetry hub (tests of the proxy alone). */
    public SnapshotBuilder(GatewayMetrics metrics, RouteResolverFactory routing) {
        this(metrics, routing, new ResilienceRegistry(Ticker.system(), new EventLog()), null);
    }

    public ResilienceRegistry registry() {
        return registry;
    }

    /** Where services' instances come from. */
    public InstanceSource instances() {
        return instances;
    }

    public GatewaySnapshot build(GatewayConfig config, long version) {
        return build(config, Set.of(), version);
    }

    /**
     * @param drained "service/instanceId" keys of the instances taken out of rotation
     */
    public GatewaySnapshot build(GatewayConfig config, Set<String> drained, long version) {
        Map<String, UpstreamService> services = new LinkedHashMap<>();
        Set<String> instanceKeys = new HashSet<>();
        for (ServiceConfig service : config.services()) {
            services.put(service.name(), service(service, drained, instanceKeys));
        }
        List<ProxyRoute> routes = new ArrayList<>(config.routes().size());
        Set<String> routeIds = new HashSet<>();
        for (RouteConfig route : config.routes()) {
            UpstreamService service = services.get(route.service());
            if (service == null) {
                throw new IllegalArgumentException("route " + route.id() + " names unknown service " + route.service());
            }
            routeIds.add(route.id());
            long responseTimeout = route.responseTimeout() != null
                    ? route.responseTimeout().toMillis() : service.responseTimeoutMillis();
            long perTry = route.retry().perTryTimeout() != null
                    ? Math.min(responseTimeout, route.retry().perTryTimeout().toMillis()) : responseTimeout;
            RateLimitConfig limit = route.rateLimit();
            RouteLimiter limiter = limit == null ? null : registry.limiter(route.id(), limit);
            if (limit == null) {
                registry.dropLimiter(route.id());
            }
            TelemetryHub hub = telemetry;
            RouteRecorder recorder = hub == null ? null : hub.route(route.id(), route.match().path());
            routes.add(new ProxyRoute(
                    route.id(),
                    service,
                    PathRewrite.of(route.stripPrefix(), route.rewritePath()),
                    HeaderEdits.of(route.requestHeaders()),
                    HeaderEdits.of(route.responseHeaders()),
                    responseTimeout,
                    route.maxBodyBytes(),
                    metrics.route(route.id(), route.match().methods()),
                    limiter,
                    route.retry(),
                    perTry,
                    recorder,
                    RouteFilters.build(route, metrics.registry(), Clock.systemUTC())));
        }
        registry.retain(services.keySet(), routeIds, instanceKeys);
        TelemetryHub hub = telemetry;
        if (hub != null) {
            for (RouteRecorder recorder : List.copyOf(hub.routes())) {
                if (!routeIds.contains(recorder.routeId())) {
                    hub.removeRoute(recorder.routeId());
                }
            }
        }
        return new GatewaySnapshot(version, config, routing.build(config.routes(), routes), services,
                metrics.route(GatewayMetrics.UNMATCHED, List.of()));
    }

    private UpstreamService service(ServiceConfig config, Set<String> drained, Set<String> instanceKeys) {
        String name = config.name();
        CircuitBreaker breaker = registry.breaker(name, config.breaker());
        OutlierDetector outlier = registry.outlier(name, config.outlier());
        ServiceInstances found = instances.instances(config);
        List<UpstreamInstance> upstreams = new ArrayList<>(found.instances().size());
        Set<String> failing = new HashSet<>();
        for (ServiceInstance instance : found.instances()) {
            String key = name + "/" + instance.id();
            instanceKeys.add(key);
            boolean isDrained = drained.contains(key);
            AtomicBoolean drainedNow = registry.drainFlag(name, instance.id());
            InstanceHealth check = found.check(instance.id());
            if (!instance.health().serves() || check != null && check.state() == CheckState.UNHEALTHY) {
                failing.add(instance.id());
            }
            upstreams.add(new UpstreamInstance(
                    instance.id(),
                    instance.address(),
                    new InetSocketAddress(instance.host(), instance.port()),
                    registry.endpoint(name, instance.id(), instance.weight()),
                    breaker.instance(instance.id()),
                    outlier.instance(instance.id()),
                    isDrained,
                    drainedNow));
        }
        ServingSelector selector = new ServingSelector(upstreams, failing, registry.balancer(name, config.balancer()),
                outlier, registry.ejections(name), registry.ticker());
        return new UpstreamService(name, upstreams, selector,
                config.connectTimeout().toMillis(), config.responseTimeout().toMillis(),
                config.idleTimeout().toMillis(), config.maxConnectionsPerInstance(), breaker, outlier,
                registry.retryBudget(name), upstreamTls(config));
    }

    private @Nullable UpstreamTls upstreamTls(ServiceConfig config) {
        return config.tls() == null ? null : upstreamTls.get(config.tls(), "services." + config.name() + ".tls");
    }
}
