package dev.sluice.agent.runtime;

import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.proxy.ProxyRoute;
import dev.sluice.agent.proxy.RouteResolver;
import java.util.List;

/**
 * Builds the routing table of a snapshot from the validated routes. {@code routes.get(i)} is the
 * compiled form of {@code configs.get(i)}; the config was validated, so conflicts cannot occur here.
 */
@FunctionalInterface
public interface RouteResolverFactory {

    RouteResolver build(List<RouteConfig> configs, List<ProxyRoute> routes);
}
