package dev.sluice.agent.runtime;

import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.proxy.ProxyRoute;
import dev.sluice.agent.proxy.RouteResolver;
import dev.sluice.agent.routing.BuildResult;
import dev.sluice.agent.routing.PathNormalizer;
import dev.sluice.agent.routing.RouteLookup;
import dev.sluice.agent.routing.RouteTable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The production routing: a {@link RouteTable} (radix tree per host) holding each route's
 * {@link ProxyRoute}, and {@link PathNormalizer} for paths. Conflicts were reported by validation,
 * so finding one here is a bug.
 */
public final class RouterResolverFactory implements RouteResolverFactory {

    @Override
    public RouteResolver build(List<RouteConfig> configs, List<ProxyRoute> routes) {
        RouteTable.Builder<ProxyRoute> builder = RouteTable.builder();
        for (int i = 0; i < configs.size(); i++) {
            RouteConfig config = configs.get(i);
            builder.add(config.match().host(), config.match().path(), config.match().methods(), routes.get(i));
        }
        BuildResult<ProxyRoute> result = builder.build();
        if (!result.ok()) {
            throw new IllegalStateException("validated routes conflict: " + result.conflicts());
        }
        return new TableResolver(result.table());
    }

    private static final class TableResolver implements RouteResolver {
        private final RouteTable<ProxyRoute> table;

        TableResolver(RouteTable<ProxyRoute> table) {
            this.table = table;
        }

        @Override
        public @Nullable String normalize(String rawPath) {
            return PathNormalizer.normalize(rawPath);
        }

        @Override
        public Resolution resolve(String host, String method, String normalizedPath) {
            return new LookupResolution(table.find(host, method, normalizedPath));
        }
    }

    /** Adapts one router lookup to the proxy's view of it. */
    private record LookupResolution(RouteLookup<ProxyRoute> lookup) implements RouteResolver.Resolution {
        @Override
        public RouteResolver.Outcome outcome() {
            return switch (lookup.outcome()) {
                case FOUND -> RouteResolver.Outcome.FOUND;
                case METHOD_NOT_ALLOWED -> RouteResolver.Outcome.METHOD_NOT_ALLOWED;
                case NOT_FOUND -> RouteResolver.Outcome.NOT_FOUND;
            };
        }

        @Override
        public @Nullable ProxyRoute route() {
            return lookup.value();
        }

        @Override
        public @Nullable String param(String name) {
            return lookup.params().get(name);
        }

        @Override
        public String allowHeader() {
            return lookup.allowHeader();
        }
    }
}
