package dev.sluice.agent.testing;

import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.proxy.ProxyRoute;
import dev.sluice.agent.proxy.RouteResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A deliberately simple stand-in for the router in proxy tests: routes are tried in file order,
 * segment by segment ({@code :param}, trailing {@code *rest}). Test code only.
 */
public final class LinearRouteResolver implements RouteResolver {

    private final List<RouteConfig> configs;
    private final List<ProxyRoute> routes;

    public LinearRouteResolver(List<RouteConfig> configs, List<ProxyRoute> routes) {
        this.configs = configs;
        this.routes = routes;
    }

    @Override
    public @Nullable String normalize(String rawPath) {
        if (rawPath.contains("/../") || rawPath.endsWith("/..") || rawPath.contains("%00")) {
            return null;
        }
        return rawPath.replaceAll("/{2,}", "/");
    }

    @Override
    public Resolution resolve(String host, String method, String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (int i = 0; i < configs.size(); i++) {
            RouteConfig config = configs.get(i);
            if (!config.match().host().isEmpty() && !config.match().host().equals(host)) {
                continue;
            }
            Map<String, String> params = match(config.match().path(), path);
            if (params == null) {
                continue;
            }
            if (config.match().methods().isEmpty() || config.match().methods().contains(method)) {
                return new Result(Outcome.FOUND, routes.get(i), params, "");
            }
            allowed.addAll(config.match().methods());
        }
        if (!allowed.isEmpty()) {
            return new Result(Outcome.METHOD_NOT_ALLOWED, null, Map.of(), String.join(", ", allowed));
        }
        return new Result(Outcome.NOT_FOUND, null, Map.of(), "");
    }

    private static @Nullable Map<String, String> match(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < p.length; i++) {
            if (p[i].startsWith("*")) {
                StringBuilder rest = new StringBuilder();
                for (int j = i; j < s.length; j++) {
                    rest.append(j == i ? "" : "/").append(s[j]);
                }
                params.put(p[i].substring(1), rest.toString());
                return params;
            }
            if (i >= s.length) {
                return null;
            }
            if (p[i].startsWith(":")) {
                params.put(p[i].substring(1), s[i]);
            } else if (!p[i].equals(s[i])) {
                return null;
            }
        }
        return p.length == s.length ? params : null;
    }

    private record Result(Outcome outcome, @Nullable ProxyRoute route, Map<String, String> params, String allowHeader)
            implements Resolution {
        @Override
        public @Nullable String param(String name) {
            return params.get(name);
        }
    }
}
