package dev.sluice.agent.control;

import dev.sluice.agent.admin.state.RuntimeState;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays the runtime changes ({@link RuntimeState}) over the file's config: route upserts and deletes,
 * limit overrides, drains (breaker overrides live on the breakers). An entry that no longer fits the
 * file (its route or service is gone, or its route no longer parses) is left out and named in
 * {@link Result#dropped()}, with the state pruned of it.
 */
final class Overlay {

    private Overlay() {}

    /**
     * @param config the effective config
     * @param drained "service/instance" keys of the drained instances
     * @param state the runtime state without the entries that did not fit
     * @param dropped one line per entry left out, for the log and the event
     */
    record Result(GatewayConfig config, Set<String> drained, RuntimeState state, List<String> dropped) {}

    static Result apply(GatewayConfig file, RuntimeState state) {
        List<String> dropped = new ArrayList<>();
        Map<String, ServiceConfig> services = new HashMap<>();
        for (ServiceConfig service : file.services()) {
            services.put(service.name(), service);
        }
        Map<String, RouteConfig> routes = new LinkedHashMap<>();
        for (RouteConfig route : file.routes()) {
            routes.put(route.id(), route);
        }

        Map<String, RuntimeState.RouteDelete> deletes = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeState.RouteDelete> e : state.routeDeletes().entrySet()) {
            if (routes.remove(e.getKey()) != null) {
                deletes.put(e.getKey(), e.getValue());
            } else {
                dropped.add("deletion of route " + e.getKey() + ": the file no longer has that route");
            }
        }
        Map<String, RuntimeState.RouteUpsert> upserts = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeState.RouteUpsert> e : state.routeUpserts().entrySet()) {
            ConfigLoader.Parsed<RouteConfig> parsed = ConfigLoader.parseRoute(e.getValue().route(), "route");
            if (!parsed.ok()) {
                dropped.add("route " + e.getKey() + " set at runtime: " + parsed.violations().get(0));
                continue;
            }
            if (!services.containsKey(parsed.value().service())) {
                dropped.add("route " + e.getKey() + " set at runtime: its service " + parsed.value().service()
                        + " is no longer in the file");
                continue;
            }
            routes.put(e.getKey(), parsed.value());
            upserts.put(e.getKey(), e.getValue());
        }
        Map<String, RuntimeState.LimitOverride> limits = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeState.LimitOverride> e : state.limitOverrides().entrySet()) {
            RouteConfig route = routes.get(e.getKey());
            if (route == null) {
                dropped.add("rate limit of route " + e.getKey() + ": the route no longer exists");
                continue;
            }
            RateLimitConfig limit = null;
            if (e.getValue().limit() != null) {
                ConfigLoader.Parsed<RateLimitConfig> parsed = ConfigLoader.parseRateLimit(e.getValue().limit(), "limit");
                if (!parsed.ok()) {
                    dropped.add("rate limit of route " + e.getKey() + ": " + parsed.violations().get(0));
                    continue;
                }
                limit = parsed.value();
            }
            routes.put(e.getKey(), route.withRateLimit(limit));
            limits.put(e.getKey(), e.getValue());
        }
        Map<String, RuntimeState.BreakerOverride> breakers = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeState.BreakerOverride> e : state.breakerOverrides().entrySet()) {
            if (services.containsKey(e.getKey())) {
                breakers.put(e.getKey(), e.getValue());
            } else {
                dropped.add("breaker override of " + e.getKey() + ": the service is no longer in the file");
            }
        }
        Map<String, RuntimeState.Drain> drains = new LinkedHashMap<>();
        Set<String> drained = new LinkedHashSet<>();
        for (Map.Entry<String, RuntimeState.Drain> e : state.drains().entrySet()) {
            RuntimeState.Drain drain = e.getValue();
            ServiceConfig service = services.get(drain.service());
            // a Consul instance may be missing from the list for a while (a redeploy); its drain waits for it
            if (service == null || service.consul() == null && service.instance(drain.instanceId()) == null) {
                dropped.add("drain of " + e.getKey() + ": the instance is no longer in the file");
                continue;
            }
            drains.put(e.getKey(), drain);
            drained.add(e.getKey());
        }
        GatewayConfig config = new GatewayConfig(file.agent(), file.listeners(), file.admin(), file.metrics(),
                file.accessLog(), file.services(), new ArrayList<>(routes.values()));
        RuntimeState pruned = new RuntimeState(RuntimeState.FORMAT_VERSION, state.configVersion(), upserts, deletes,
                limits, breakers, drains);
        return new Result(config, drained, pruned, dropped);
    }
}
