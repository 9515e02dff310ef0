package dev.sluice.agent.control;

import dev.sluice.agent.config.RouteConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One runtime change. A {@code ttl} makes it an override that the agent reverts by itself when the
 * time is up (the deadline is persisted, not the remaining time); null means until undone.
 */
public sealed interface Change {

    /** What the change is about, as audited: {@code breaker:users}, {@code instance:users/users-2}, {@code route:users-get}. */
    String target();

    /** The service a breaker or drain change acts on; null for route changes and extensions. */
    default @Nullable String serviceName() {
        return null;
    }

    /** The route a route or limit change acts on; null for service changes and extensions. */
    default @Nullable String routeName() {
        return null;
    }

    /** Forces the service's breaker open: its routes answer 503. */
    record TripBreaker(String service, @Nullable Duration ttl) implements Change {
        @Override
        public String target() {
            return "breaker:" + service;
        }

        @Override
        public String serviceName() {
            return service;
        }
    }

    /** Forces the service's breaker closed: traffic flows whatever the computed state. */
    record ForceCloseBreaker(String service, @Nullable Duration ttl) implements Change {
        @Override
        public String target() {
            return "breaker:" + service;
        }

        @Override
        public String serviceName() {
            return service;
        }
    }

    /** Ends any override and restarts the computed state as CLOSED with an empty window. */
    record ResetBreaker(String service) implements Change {
        @Override
        public String target() {
            return "breaker:" + service;
        }

        @Override
        public String serviceName() {
            return service;
        }
    }

    /**
     * Takes an instance out of rotation; refused below the service's healthy floor unless allowed.
     *
     * @param consulMaintenance also put the instance in Consul maintenance mode, even when the service's
     *     {@code consulMaintenance} is off (Consul services only)
     */
    record Drain(String service, String instanceId, @Nullable Duration ttl, boolean allowBelowFloor,
                 boolean consulMaintenance) implements Change {

        public Drain(String service, String instanceId, @Nullable Duration ttl, boolean allowBelowFloor) {
            this(service, instanceId, ttl, allowBelowFloor, false);
        }

        @Override
        public String target() {
            return "instance:" + service + "/" + instanceId;
        }

        @Override
        public String serviceName() {
            return service;
        }
    }

    record Undrain(String service, String instanceId) implements Change {
        @Override
        public String target() {
            return "instance:" + service + "/" + instanceId;
        }

        @Override
        public String serviceName() {
            return service;
        }
    }

    /** Sets the route's rate limit; with a ttl the previous limit comes back by itself. */
    record SetRateLimit(String routeId, RateLimit limit, @Nullable Duration ttl) implements Change {
        @Override
        public String target() {
            return "route:" + routeId;
        }

        @Override
        public String routeName() {
            return routeId;
        }
    }

    /** Removes a runtime limit (the file's limit applies again) or, with removeConfigured, any limit. */
    record ClearRateLimit(String routeId, boolean removeConfigured) implements Change {
        @Override
        public String target() {
            return "route:" + routeId;
        }

        @Override
        public String routeName() {
            return routeId;
        }
    }

    /**
     * Creates or replaces a route. With {@code keepFilters} the route keeps its current filters whatever
     * {@code route.filters()} says (a new route gets none); without it {@code route.filters()} is the
     * whole list, where a redacted secret ({@code dev.sluice.agent.filter.FilterSecrets}) keeps the current one.
     */
    record UpsertRoute(RouteConfig route, boolean keepFilters) implements Change {

        /** The rule of clients that predate filters in the admin API: no filters given keeps the current ones. */
        public UpsertRoute(RouteConfig route) {
            this(route, route.filters().isEmpty());
        }

        @Override
        public String target() {
            return "route:" + route.id();
        }

        @Override
        public String routeName() {
            return route.id();
        }
    }

    record DeleteRoute(String routeId) implements Change {
        @Override
        public String target() {
            return "route:" + routeId;
        }

        @Override
        public String routeName() {
            return routeId;
        }
    }

    /** Gives an existing override with a time-to-live a new deadline, counted from now. */
    record ExtendOverride(OverrideRef override, Duration ttl) implements Change {
        @Override
        public String target() {
            return override.target();
        }
    }

    /** Names one override: a breaker's, an instance's drain, or a route's temporary limit. */
    sealed interface OverrideRef {
        String target();

        record Breaker(String service) implements OverrideRef {
            @Override
            public String target() {
                return "breaker:" + service;
            }
        }

        record DrainOf(String service, String instanceId) implements OverrideRef {
            @Override
            public String target() {
                return "instance:" + service + "/" + instanceId;
            }
        }

        record Limit(String routeId) implements OverrideRef {
            @Override
            public String target() {
                return "route:" + routeId;
            }
        }
    }

    /**
     * A token bucket limit on a route.
     *
     * @param key ROUTE (one bucket), CLIENT_IP, HEADER or JWT_CLAIM (one bucket per value of keyName)
     */
    record RateLimit(double requestsPerSecond, int burst, Key key, @Nullable String keyName) {
        public enum Key { ROUTE, CLIENT_IP, HEADER, JWT_CLAIM }
    }
}
