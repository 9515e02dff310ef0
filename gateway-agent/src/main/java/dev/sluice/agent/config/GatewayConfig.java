package dev.sluice.agent.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The whole agent configuration as read from one YAML file. Only a value that passed
 * {@link ConfigLoader} validation is ever applied; list order is the file's order.
 */
public record GatewayConfig(
        AgentSettings agent,
        List<ListenerConfig> listeners,
        @Nullable AdminConfig admin,
        @Nullable ListenerConfig metrics,
        AccessLogConfig accessLog,
        List<ServiceConfig> services,
        List<RouteConfig> routes) {

    public GatewayConfig {
        listeners = List.copyOf(listeners);
        services = List.copyOf(services);
        routes = List.copyOf(routes);
    }

    /** The service with this name, or null. */
    public @Nullable ServiceConfig service(String name) {
        for (ServiceConfig service : services) {
            if (service.name().equals(name)) {
                return service;
            }
        }
        return null;
    }
}
