package dev.sluice.agent.config;

import dev.sluice.agent.routing.RouteConflict;
import dev.sluice.agent.routing.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Cross-field checks on a parsed config: unique names and ids, references between routes and
 * services, listener clashes, path rewrites that fit their route's pattern, and route patterns that
 * the router rejects or that conflict with each other. Returns every violation.
 */
final class ConfigValidator {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}/]*)}");

    private ConfigValidator() {}

    static List<Violation> validate(GatewayConfig config) {
        List<Violation> violations = new ArrayList<>();
        checkListeners(config, violations);
        Map<String, Integer> serviceIndex = new HashMap<>();
        for (int i = 0; i < config.services().size(); i++) {
            String name = config.services().get(i).name();
            Integer first = serviceIndex.putIfAbsent(name, i);
            if (first != null && !name.isEmpty()) {
                violations.add(new Violation("services[" + i + "].name",
                        "duplicate service name '" + name + "' (first used by services[" + first + "])"));
            }
        }
        Map<String, Integer> routeIndex = new HashMap<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig route = config.routes().get(i);
            String path = "routes[" + i + "]";
            Integer first = routeIndex.putIfAbsent(route.id(), i);
            if (first != null && !route.id().isEmpty()) {
                violations.add(new Violation(path + ".id",
                        "duplicate route id '" + route.id() + "' (first used by routes[" + first + "])"));
            }
            if (!route.service().isEmpty() && !serviceIndex.containsKey(route.service())) {
                violations.add(new Violation(path + ".service", "unknown service '" + route.service() + "'"));
            }
            checkRewrite(route, path, violations);
        }
        checkRouteTable(config, violations);
        checkAdmin(config.admin(), violations);
        return violations;
    }

    /**
     * The admin block as a whole: plaintext only on loopback unless insecure, a client CA when client
     * certificates are asked for, someone who can call, and no token name or hash used twice.
     */
    private static void checkAdmin(@Nullable AdminConfig admin, List<Violation> violations) {
        if (admin == null) {
            return;
        }
        AdminConfig.Tls tls = admin.tls();
        if (tls == null && !admin.insecure() && !isLoopback(admin.listener().host())) {
            violations.add(new Violation("admin.tls", "plaintext is refused on non-loopback address "
                    + admin.listener().host() + "; configure admin.tls or set admin.insecure: true"));
        }
        if (tls != null && tls.clientAuth() != AdminConfig.ClientAuth.NONE && tls.clientCa() == null) {
            violations.add(new Violation("admin.tls.clientCa", "is required when clientAuth is "
                    + tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (!admin.clientCertificates().isEmpty() && (tls == null || tls.clientCa() == null)) {
            violations.add(new Violation("admin.clientCertificates", "need admin.tls with a clientCa"));
        }
        if (admin.tokens().isEmpty() && admin.clientCertificates().isEmpty()) {
            violations.add(new Violation("admin.tokens", "list at least one token or client certificate, "
                    + "or nobody can call the admin API"));
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> hashes = new HashMap<>();
        for (int i = 0; i < admin.tokens().size(); i++) {
            AdminConfig.Token token = admin.tokens().get(i);
            Integer first = names.putIfAbsent(token.name(), i);
            if (first != null && !token.name().isEmpty()) {
                violations.add(new Violation("admin.tokens[" + i + "].name",
                        "duplicate token name '" + token.name() + "' (first used by admin.tokens[" + first + "])"));
            }
            first = hashes.putIfAbsent(token.sha256(), i);
            if (first != null && !token.sha256().isEmpty()) {
                violations.add(new Violation("admin.tokens[" + i + "].sha256",
                        "same hash as admin.tokens[" + first + "]: one token would have two grants"));
            }
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * Builds the routes into a throw-away routing table: the router reports bad patterns and routes
     * that collide (same host, method and path shape) by the index they were added with.
     */
    private static void checkRouteTable(GatewayConfig config, List<Violation> violations) {
        RouteTable.Builder<Integer> builder = RouteTable.builder();
        List<Integer> added = new ArrayList<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteMatch match = config.routes().get(i).match();
            if (match.path().startsWith("/")) {
                builder.add(match.host(), match.path(), match.methods(), i);
                added.add(i);
            }
        }
        for (RouteConflict conflict : builder.build().conflicts()) {
            violations.add(new Violation("routes[" + added.get(conflict.index()) + "].match.path", conflict.message()));
        }
    }

    private static void checkListeners(GatewayConfig config, List<Violation> violations) {
        Map<String, String> used = new HashMap<>();
        Set<String> names = new HashSet<>();
        List<ListenerConfig> all = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig listener = config.listeners().get(i);
            all.add(listener);
            paths.add("listeners[" + i + "]");
            if (!names.add(listener.name())) {
                violations.add(new Violation("listeners[" + i + "].name", "duplicate listener name '" + listener.name() + "'"));
            }
        }
        if (config.admin() != null) {
            all.add(config.admin().listener());
            paths.add("admin");
        }
        if (config.metrics() != null) {
            all.add(config.metrics());
            paths.add("metrics");
        }
        for (int i = 0; i < all.size(); i++) {
            ListenerConfig listener = all.get(i);
            if (listener.port() == 0) {
                continue;
            }
            String key = listener.host() + ":" + listener.port();
            String first = used.putIfAbsent(key, paths.get(i));
            if (first != null) {
                violations.add(new Violation(paths.get(i) + ".port", "address " + key + " is already used by " + first));
            }
        }
    }

    private static void checkRewrite(RouteConfig route, String path, List<Violation> violations) {
        String pattern = route.match().path();
        if (route.stripPrefix() != null && route.rewritePath() != null) {
            violations.add(new Violation(path + ".rewritePath", "cannot be combined with stripPrefix; use one of them"));
            return;
        }
        String strip = route.stripPrefix();
        if (strip != null && strip.startsWith("/")) {
            String literal = staticPrefix(pattern);
            boolean segmentBoundary = strip.endsWith("/") || literal.length() == strip.length()
                    || (literal.length() > strip.length() && literal.charAt(strip.length()) == '/');
            if (!literal.startsWith(strip) || !segmentBoundary) {
                violations.add(new Violation(path + ".stripPrefix",
                        "'" + strip + "' is not a leading part of the route path '" + pattern + "'"));
            }
        }
        String rewrite = route.rewritePath();
        if (rewrite != null) {
            Set<String> params = parameters(pattern);
            Matcher m = PLACEHOLDER.matcher(rewrite);
            while (m.find()) {
                if (!params.contains(m.group(1))) {
                    violations.add(new Violation(path + ".rewritePath",
                            "placeholder {" + m.group(1) + "} is not a parameter of the route path '" + pattern + "'"));
                }
            }
        }
    }

    /** The pattern up to its first parameter or wildcard segment. */
    static String staticPrefix(String pattern) {
        int end = pattern.length();
        int colon = pattern.indexOf("/:");
        int star = pattern.indexOf("/*");
        if (colon >= 0) {
            end = Math.min(end, colon + 1);
        }
        if (star >= 0) {
            end = Math.min(end, star + 1);
        }
        return pattern.substring(0, end);
    }

    /** The parameter names ({@code :id}, {@code *rest}) a path pattern declares. */
    static Set<String> parameters(String pattern) {
        Set<String> names = new HashSet<>();
        for (String segment : pattern.split("/")) {
            if (segment.length() > 1 && (segment.charAt(0) == ':' || segment.charAt(0) == '*')) {
                names.add(segment.substring(1));
            }
        }
        return names;
    }
}
