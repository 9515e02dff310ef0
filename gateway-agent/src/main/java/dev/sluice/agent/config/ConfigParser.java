package dev.sluice.agent.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.agent.filter.FilterChain;
import dev.sluice.agent.resilience.BreakerSettings;
import dev.sluice.agent.resilience.HealthFloor;
import dev.sluice.agent.resilience.OutlierSettings;
import dev.sluice.agent.resilience.RateLimitSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a YAML tree into {@link GatewayConfig}, checking types, required fields, unknown fields and
 * value ranges, and collecting every violation with its path instead of stopping at the first.
 * Cross-references (names, ids, route conflicts) are {@link ConfigValidator}'s job. A new block
 * (breaker, healthCheck, …) is added by allowing its field name and reading it here.
 */
final class ConfigParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> SPEC = new TypeReference<>() {};

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

    private static final Set<String> ROOT_FIELDS =
            Set.of("agent", "listeners", "admin", "metrics", "accessLog", "services", "routes", "registry");
    private static final Set<String> AGENT_FIELDS = Set.of("id", "cluster", "maxOverrideTtl", "stateFile");
    private static final Set<String> LISTENER_FIELDS = Set.of("name", "host", "port", "idleTimeout", "limits", "tls");
    private static final Set<String> LIMITS_FIELDS = Set.of("maxRequestLineLength", "maxHeaderSize", "maxHeaderCount",
            "maxBodySize", "maxConnections", "headerReadTimeout", "bodyReadTimeout");
    private static final Set<String> ADDRESS_FIELDS = Set.of("host", "port");
    private static final Set<String> ACCESS_LOG_FIELDS = Set.of("enabled");
    private static final Set<String> SERVICE_FIELDS = Set.of(
            "name", "instances", "balancer", "connectTimeout", "responseTimeout", "idleTimeout",
            "maxConnectionsPerInstance", "breaker", "outlier", "minHealthyPercent",
            "registry", "discovery", "healthCheck", "consulMaintenance", "tls");
    private static final Set<String> INSTANCE_FIELDS = Set.of("host", "port", "id", "weight", "zone");
    private static final Set<String> ROUTE_FIELDS = Set.of(
            "id", "match", "service", "stripPrefix", "rewritePath", "requestHeaders", "responseHeaders",
            "responseTimeout", "maxBodyBytes", "maxBodySize", "rateLimit", "retry", "filters");
    private static final Set<String> BREAKER_FIELDS = Set.of("windowSize", "minimumCalls",
            "failureRateThreshold", "slowCallRateThreshold", "slowCallDuration", "openDuration", "halfOpenCalls");
    private static final Set<String> OUTLIER_FIELDS = Set.of("consecutiveFailures", "baseEjectionTime",
            "maxEjectionTime", "maxEjectedPercent", "panicThresholdPercent");
    private static final Set<String> RATE_LIMIT_FIELDS = Set.of("requestsPerSecond", "burst", "key", "keyName");
    private static final Set<String> RETRY_FIELDS = Set.of("maxAttempts", "perTryTimeout");
    private static final Set<String> MATCH_FIELDS = Set.of("host", "path", "methods");
    private static final Set<String> HEADER_REWRITE_FIELDS = Set.of("set", "add", "remove");

    private final List<Violation> violations = new ArrayList<>();
    private @Nullable JsonNode sharedRegistry;

    List<Violation> violations() {
        return violations;
    }

    GatewayConfig parse(JsonNode root) {
        if (!root.isObject()) {
            violations.add(new Violation("", "the file must be a YAML mapping with listeners, services and routes"));
            return new GatewayConfig(new AgentSettings("agent", "default"), List.of(), null, null,
                    new AccessLogConfig(true), List.of(), List.of());
        }
        checkFields(root, "", ROOT_FIELDS);
        AgentSettings agent = agent(root.get("agent"), "agent");

        List<ListenerConfig> listeners = new ArrayList<>();
        List<JsonNode> listenerNodes = list(root, "listeners", "", true);
        if (listenerNodes.isEmpty() && root.has("listeners")) {
            violations.add(new Violation("listeners", "must list at least one listener"));
        }
        for (int i = 0; i < listenerNodes.size(); i++) {
            listeners.add(listener(listenerNodes.get(i), "listeners[" + i + "]", "listener-" + i));
        }
        AdminConfig admin = admin(root.get("admin"), "admin");
        ListenerConfig metrics = address(root.get("metrics"), "metrics");
        AccessLogConfig accessLog = accessLog(root.get("accessLog"), "accessLog");

        sharedRegistry = root.get("registry");
        List<ServiceConfig> services = new ArrayList<>();
        List<JsonNode> serviceNodes = list(root, "services", "", false);
        for (int i = 0; i < serviceNodes.size(); i++) {
            services.add(service(serviceNodes.get(i), "services[" + i + "]"));
        }
        List<RouteConfig> routes = new ArrayList<>();
        List<JsonNode> routeNodes = list(root, "routes", "", false);
        for (int i = 0; i < routeNodes.size(); i++) {
            routes.add(route(routeNodes.get(i), "routes[" + i + "]"));
        }
        return new GatewayConfig(agent, listeners, admin, metrics, accessLog, services, routes);
    }

    private AgentSettings agent(@Nullable JsonNode node, String path) {
        if (node == null || !expectObject(node, path)) {
            return new AgentSettings("agent", "default");
        }
        checkFields(node, path, AGENT_FIELDS);
        String id = name(node, "id", path, "agent");
        String cluster = name(node, "cluster", path, "default");
        return controlSettings(node, path, id, cluster);
    }

    private ListenerConfig listener(JsonNode node, String path, String defaultName) {
        if (!expectObject(node, path)) {
            return new ListenerConfig(defaultName, "0.0.0.0", 0, ListenerConfig.DEFAULT_IDLE_TIMEOUT);
        }
        checkFields(node, path, LISTENER_FIELDS);
        String name = name(node, "name", path, defaultName);
        return new ListenerConfig(name, host(node, path, "0.0.0.0"), port(node, path, 0, true),
                duration(node, "idleTimeout", path, ListenerConfig.DEFAULT_IDLE_TIMEOUT),
                limits(node.get("limits"), path + ".limits"),
                tlsReader().listener(node.get("tls"), path + ".tls"));
    }

    private ListenerLimits limits(@Nullable JsonNode node, String path) {
        ListenerLimits d = ListenerLimits.DEFAULTS;
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return d;
        }
        checkFields(node, path, LIMITS_FIELDS);
        return new ListenerLimits(
                (int) size(node, "maxRequestLineLength", path, d.maxRequestLineLength(), 256, 1024 * 1024),
                (int) size(node, "maxHeaderSize", path, d.maxHeaderSize(), 1024, 1024 * 1024),
                (int) integer(node, "maxHeaderCount", path, d.maxHeaderCount(), 1, 10_000),
                size(node, "maxBodySize", path, d.maxBodySize(), 0, Long.MAX_VALUE),
                (int) integer(node, "maxConnections", path, d.maxConnections(), 1, 1_000_000),
                duration(node, "headerReadTimeout", path, d.headerReadTimeout()),
                duration(node, "bodyReadTimeout", path, d.bodyReadTimeout()));
    }

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB)?");

    /** A byte count: a whole number, or text such as {@code 16KiB}, {@code 10MiB}, {@code 1GiB}. */
    private long size(JsonNode parent, String field, String path, long fallback, long min, long max) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            return integer(parent, field, path, fallback, min, max);
        }
        java.util.regex.Matcher m = SIZE.matcher(node.textValue().trim());
        if (!m.matches()) {
            violations.add(new Violation(join(path, field),
                    "'" + node.textValue() + "' is not a size (a number of bytes, or e.g. 16KiB, 10MiB, 1GiB)"));
            return fallback;
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        long value = Long.parseLong(m.group(1)) * unit;
        if (value < min || value > max) {
            violations.add(new Violation(join(path, field), "must be between " + min + " and " + max + " bytes"));
            return fallback;
        }
        return value;
    }

    private TlsConfigReader tlsReader() {
        return new TlsConfigReader(violations);
    }

    private @Nullable ListenerConfig address(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return null;
        }
        checkFields(node, path, ADDRESS_FIELDS);
        return new ListenerConfig(path, host(node, path, "127.0.0.1"), port(node, path, 0, true),
                ListenerConfig.DEFAULT_IDLE_TIMEOUT);
    }

    // --- the admin: block ---

    private static final Set<String> ADMIN_FIELDS = Set.of(
            "host", "port", "tls", "insecure", "tokens", "clientCertificates", "audit");
    private static final Set<String> ADMIN_TLS_FIELDS = Set.of("cert", "key", "clientCa", "clientAuth");
    private static final Set<String> ADMIN_TOKEN_FIELDS = Set.of("name", "sha256", "role", "scope", "permissions");
    private static final Set<String> ADMIN_CERT_FIELDS = Set.of("subject", "role", "scope", "permissions");
    private static final Set<String> ADMIN_SCOPE_FIELDS = Set.of("services", "routePrefixes");
    private static final Set<String> ADMIN_AUDIT_FIELDS = Set.of("file", "maxBytes", "keep");
    private static final Set<String> ADMIN_PERMISSIONS = Set.of("permanent-override");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private @Nullable AdminConfig admin(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return null;
        }
        checkFields(node, path, ADMIN_FIELDS);
        ListenerConfig listener = new ListenerConfig("admin", host(node, path, "127.0.0.1"),
                port(node, path, 0, true), ListenerConfig.DEFAULT_IDLE_TIMEOUT);
        AdminConfig.Tls tls = adminTls(node.get("tls"), path + ".tls");
        boolean insecure = bool(node, "insecure", path);
        List<AdminConfig.Token> tokens = new ArrayList<>();
        List<JsonNode> tokenNodes = list(node, "tokens", path, false);
        for (int i = 0; i < tokenNodes.size(); i++) {
            String tokenPath = path + ".tokens[" + i + "]";
            JsonNode token = tokenNodes.get(i);
            if (expectObject(token, tokenPath)) {
                checkFields(token, tokenPath, ADMIN_TOKEN_FIELDS);
                String name = name(token, "name", tokenPath, null);
                String sha256 = text(token, "sha256", tokenPath, null);
                if (!sha256.isEmpty() && !SHA256_HEX.matcher(sha256).matches()) {
                    violations.add(new Violation(tokenPath + ".sha256",
                            "must be the token's SHA-256 as 64 lower-case hex digits (see TokenHashes), never the token"));
                }
                tokens.add(new AdminConfig.Token(name, sha256, adminRole(token, tokenPath),
                        adminScope(token.get("scope"), tokenPath + ".scope"), permissions(token, tokenPath)));
            }
        }
        List<AdminConfig.ClientCertificate> certificates = new ArrayList<>();
        List<JsonNode> certNodes = list(node, "clientCertificates", path, false);
        for (int i = 0; i < certNodes.size(); i++) {
            String certPath = path + ".clientCertificates[" + i + "]";
            JsonNode cert = certNodes.get(i);
            if (expectObject(cert, certPath)) {
                checkFields(cert, certPath, ADMIN_CERT_FIELDS);
                String subject = text(cert, "subject", certPath, null);
                if (!subject.isEmpty() && !isX500Name(subject)) {
                    violations.add(new Violation(certPath + ".subject",
                            "'" + subject + "' is not an X.500 name such as CN=alice,O=sre"));
                }
                certificates.add(new AdminConfig.ClientCertificate(subject, adminRole(cert, certPath),
                        adminScope(cert.get("scope"), certPath + ".scope"), permissions(cert, certPath)));
            }
        }
        AdminConfig.Audit audit = adminAudit(node.get("audit"), path + ".audit");
        return new AdminConfig(listener, tls, insecure, tokens, certificates, audit);
    }

    private AdminConfig.@Nullable Tls adminTls(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return null;
        }
        checkFields(node, path, ADMIN_TLS_FIELDS);
        String cert = text(node, "cert", path, null);
        String key = text(node, "key", path, null);
        String clientCa = optionalText(node, "clientCa", path);
        String clientAuthName = text(node, "clientAuth", path, clientCa == null ? "none" : "require");
        AdminConfig.ClientAuth clientAuth = switch (clientAuthName) {
            case "none" -> AdminConfig.ClientAuth.NONE;
            case "optional" -> AdminConfig.ClientAuth.OPTIONAL;
            case "require" -> AdminConfig.ClientAuth.REQUIRE;
            default -> {
                violations.add(new Violation(path + ".clientAuth",
                        "unknown value '" + clientAuthName + "' (known: none, optional, require)"));
                yield AdminConfig.ClientAuth.NONE;
            }
        };
        return new AdminConfig.Tls(Path.of(cert), Path.of(key), clientCa == null ? null : Path.of(clientCa), clientAuth);
    }

    private AdminConfig.Role adminRole(JsonNode node, String path) {
        String role = text(node, "role", path, null);
        return switch (role) {
            case "viewer" -> AdminConfig.Role.VIEWER;
            case "operator" -> AdminConfig.Role.OPERATOR;
            default -> {
                if (!role.isEmpty()) {
                    violations.add(new Violation(path + ".role", "unknown role '" + role + "' (known: viewer, operator)"));
                }
                yield AdminConfig.Role.VIEWER;
            }
        };
    }

    private AdminConfig.Scope adminScope(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return AdminConfig.Scope.UNRESTRICTED;
        }
        checkFields(node, path, ADMIN_SCOPE_FIELDS);
        return new AdminConfig.Scope(textList(node, "services", path), textList(node, "routePrefixes", path));
    }

    private Set<String> permissions(JsonNode node, String path) {
        Set<String> permissions = new LinkedHashSet<>();
        List<String> names = textList(node, "permissions", path);
        for (int i = 0; i < names.size(); i++) {
            if (!ADMIN_PERMISSIONS.contains(names.get(i))) {
                violations.add(new Violation(path + ".permissions[" + i + "]",
                        "unknown permission '" + names.get(i) + "' (known: " + String.join(", ", ADMIN_PERMISSIONS) + ")"));
            } else {
                permissions.add(names.get(i));
            }
        }
        return permissions;
    }

    private AdminConfig.Audit adminAudit(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return AdminConfig.Audit.DEFAULTS;
        }
        checkFields(node, path, ADMIN_AUDIT_FIELDS);
        String file = optionalText(node, "file", path);
        long maxBytes = integer(node, "maxBytes", path, AdminConfig.Audit.DEFAULT_MAX_BYTES, 1024, Long.MAX_VALUE);
        int keep = (int) integer(node, "keep", path, AdminConfig.Audit.DEFAULT_KEEP, 1, 1000);
        return new AdminConfig.Audit(file == null ? null : Path.of(file), maxBytes, keep);
    }

    private List<String> textList(JsonNode parent, String field, String path) {
        List<String> values = new ArrayList<>();
        List<JsonNode> nodes = list(parent, field, path, false);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode value = nodes.get(i);
            if (!value.isTextual() || value.textValue().isBlank()) {
                violations.add(new Violation(join(path, field) + "[" + i + "]", "must be non-empty text"));
            } else {
                values.add(value.textValue());
            }
        }
        return values;
    }

    private boolean bool(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            violations.add(new Violation(join(path, field), "must be true or false"));
            return false;
        }
        return node.booleanValue();
    }

    private static boolean isX500Name(String subject) {
        try {
            new javax.security.auth.x500.X500Principal(subject);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private AccessLogConfig accessLog(@Nullable JsonNode node, String path) {
        if (node == null || !expectObject(node, path)) {
            return new AccessLogConfig(true);
        }
        checkFields(node, path, ACCESS_LOG_FIELDS);
        JsonNode enabled = node.get("enabled");
        if (enabled == null) {
            return new AccessLogConfig(true);
        }
        if (!enabled.isBoolean()) {
            violations.add(new Violation(path + ".enabled", "must be true or false"));
            return new AccessLogConfig(true);
        }
        return new AccessLogConfig(enabled.booleanValue());
    }

    private ServiceConfig service(JsonNode node, String path) {
        if (!expectObject(node, path)) {
            return new ServiceConfig("", List.of(), BalancerKind.ROUND_ROBIN, ServiceConfig.DEFAULT_CONNECT_TIMEOUT,
                    ServiceConfig.DEFAULT_RESPONSE_TIMEOUT, ServiceConfig.DEFAULT_IDLE_TIMEOUT, 1);
        }
        checkFields(node, path, SERVICE_FIELDS);
        String name = name(node, "name", path, null);
        List<InstanceConfig> instances = new ArrayList<>();
        List<JsonNode> instanceNodes = list(node, "instances", path, !node.has("registry") && !node.has("discovery"));
        if (instanceNodes.isEmpty() && node.has("instances")) {
            violations.add(new Violation(path + ".instances", "must list at least one instance"));
        }
        for (int i = 0; i < instanceNodes.size(); i++) {
            String instancePath = path + ".instances[" + i + "]";
            JsonNode instance = instanceNodes.get(i);
            if (expectObject(instance, instancePath)) {
                checkFields(instance, instancePath, INSTANCE_FIELDS);
                instances.add(instance(instance, instancePath));
            }
        }
        BalancerKind balancer = BalancerKind.ROUND_ROBIN;
        String balancerName = text(node, "balancer", path, BalancerKind.ROUND_ROBIN.yamlName());
        BalancerKind parsed = BalancerKind.fromYaml(balancerName);
        if (parsed == null) {
            violations.add(new Violation(path + ".balancer", "unknown balancer '" + balancerName + "' (known: round-robin, least-request)"));
        } else {
            balancer = parsed;
        }
        Duration connect = duration(node, "connectTimeout", path, ServiceConfig.DEFAULT_CONNECT_TIMEOUT);
        Duration response = duration(node, "responseTimeout", path, ServiceConfig.DEFAULT_RESPONSE_TIMEOUT);
        Duration idle = duration(node, "idleTimeout", path, ServiceConfig.DEFAULT_IDLE_TIMEOUT);
        int maxConnections = (int) integer(node, "maxConnectionsPerInstance", path,
                ServiceConfig.DEFAULT_MAX_CONNECTIONS_PER_INSTANCE, 1, 65_536);
        return ServiceDiscoveryReader.read(node, path, sharedRegistry, violations,
                resilience(node, path, new ServiceConfig(name, instances, balancer, connect, response, idle, maxConnections)),
                this::listedInstance);
    }

    /** Reads one route on its own (a runtime upsert); violations carry {@code path} as their prefix. */
    RouteConfig parseRoute(JsonNode node, String path) {
        return route(node, path);
    }

    /** Reads one rate limit on its own (a runtime limit change). */
    @Nullable RateLimitConfig parseRateLimit(JsonNode node, String path) {
        return rateLimit(node, path);
    }

    private RouteConfig route(JsonNode node, String path) {
        if (!expectObject(node, path)) {
            return new RouteConfig("", new RouteMatch("", "/", Set.of()), "", null, null,
                    HeaderRewrite.NONE, HeaderRewrite.NONE, null, RouteConfig.DEFAULT_MAX_BODY_BYTES);
        }
        checkFields(node, path, ROUTE_FIELDS);
        String id = name(node, "id", path, null);
        RouteMatch match = match(node.get("match"), path + ".match");
        String service = text(node, "service", path, null);
        String stripPrefix = optionalText(node, "stripPrefix", path);
        if (stripPrefix != null && !stripPrefix.startsWith("/")) {
            violations.add(new Violation(path + ".stripPrefix", "must start with '/'"));
        }
        String rewritePath = optionalText(node, "rewritePath", path);
        if (rewritePath != null && !rewritePath.startsWith("/")) {
            violations.add(new Violation(path + ".rewritePath", "must start with '/'"));
        }
        HeaderRewrite requestHeaders = headerRewrite(node.get("requestHeaders"), path + ".requestHeaders");
        HeaderRewrite responseHeaders = headerRewrite(node.get("responseHeaders"), path + ".responseHeaders");
        Duration responseTimeout = node.has("responseTimeout") ? duration(node, "responseTimeout", path, Duration.ZERO) : null;
        // maxBodySize is the documented name; maxBodyBytes is kept for configs written before it.
        if (node.has("maxBodySize") && node.has("maxBodyBytes")) {
            violations.add(new Violation(path + ".maxBodyBytes", "set either maxBodySize or maxBodyBytes, not both"));
        }
        String bodyField = node.has("maxBodySize") ? "maxBodySize" : "maxBodyBytes";
        long maxBody = size(node, bodyField, path, RouteConfig.DEFAULT_MAX_BODY_BYTES, 0, Long.MAX_VALUE);
        return new RouteConfig(id, match, service, stripPrefix, rewritePath, requestHeaders, responseHeaders,
                responseTimeout, maxBody, rateLimit(node.get("rateLimit"), path + ".rateLimit"),
                retry(node.get("retry"), path + ".retry"), filters(node, path));
    }

    /**
     * The route's {@code filters:} block as plain maps, checked whole by building its chain once (which
     * also reads any JWKS file), so every filter problem is reported with its path now, not at swap time.
     */
    private List<Map<String, Object>> filters(JsonNode route, String path) {
        List<JsonNode> nodes = list(route, "filters", path, false);
        List<Map<String, Object>> specs = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode item = nodes.get(i);
            if (expectObject(item, path + ".filters[" + i + "]")) {
                specs.add(JSON.convertValue(item, SPEC));
            }
        }
        if (specs.size() == nodes.size() && !specs.isEmpty()) {
            violations.addAll(FilterChain.build(specs, path + ".filters", Clock.systemUTC()).violations());
        }
        return specs;
    }

    private RouteMatch match(@Nullable JsonNode node, String path) {
        if (node == null) {
            violations.add(new Violation(path, "is required"));
            return new RouteMatch("", "/", Set.of());
        }
        if (!expectObject(node, path)) {
            return new RouteMatch("", "/", Set.of());
        }
        checkFields(node, path, MATCH_FIELDS);
        String host = "";
        if (node.has("host")) {
            host = text(node, "host", path, "").toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                violations.add(new Violation(path + ".host", "'" + host + "' is not a host name"));
            }
        }
        String pattern = text(node, "path", path, null);
        if (!pattern.isEmpty() && !pattern.startsWith("/")) {
            violations.add(new Violation(path + ".path", "must start with '/'"));
        }
        Set<String> methods = new LinkedHashSet<>();
        List<JsonNode> methodNodes = list(node, "methods", path, false);
        for (int i = 0; i < methodNodes.size(); i++) {
            JsonNode method = methodNodes.get(i);
            String methodPath = path + ".methods[" + i + "]";
            if (!method.isTextual() || !METHOD.matcher(method.textValue()).matches()) {
                violations.add(new Violation(methodPath, "must be an upper-case HTTP method such as GET"));
            } else if (!methods.add(method.textValue())) {
                violations.add(new Violation(methodPath, "method " + method.textValue() + " is listed twice"));
            }
        }
        return new RouteMatch(host, pattern, methods);
    }

    private HeaderRewrite headerRewrite(@Nullable JsonNode node, String path) {
        if (node == null || !expectObject(node, path)) {
            return HeaderRewrite.NONE;
        }
        checkFields(node, path, HEADER_REWRITE_FIELDS);
        Map<String, String> set = headerMap(node.get("set"), path + ".set");
        Map<String, String> add = headerMap(node.get("add"), path + ".add");
        List<String> remove = new ArrayList<>();
        List<JsonNode> removeNodes = list(node, "remove", path, false);
        for (int i = 0; i < removeNodes.size(); i++) {
            JsonNode name = removeNodes.get(i);
            if (!name.isTextual() || !HEADER_NAME.matcher(name.textValue()).matches()) {
                violations.add(new Violation(path + ".remove[" + i + "]", "must be a header name"));
            } else {
                remove.add(name.textValue());
            }
        }
        return new HeaderRewrite(set, add, remove);
    }

    private Map<String, String> headerMap(@Nullable JsonNode node, String path) {
        if (node == null || !expectObject(node, path)) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String fieldPath = path + "." + e.getKey();
            if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                violations.add(new Violation(fieldPath, "'" + e.getKey() + "' is not a valid header name"));
                continue;
            }
            JsonNode value = e.getValue();
            if (!value.isValueNode() || value.isNull()) {
                violations.add(new Violation(fieldPath, "must be a text value"));
                continue;
            }
            String text = value.asText();
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                violations.add(new Violation(fieldPath, "must not contain line breaks"));
                continue;
            }
            headers.put(e.getKey(), text);
        }
        return headers;
    }

    private boolean expectObject(JsonNode node, String path) {
        if (!node.isObject()) {
            violations.add(new Violation(path, "must be a mapping of fields"));
            return false;
        }
        return true;
    }

    private void checkFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                violations.add(new Violation(join(path, field), "unknown field '" + field + "'"));
            }
        }
    }

    private List<JsonNode> list(JsonNode parent, String field, String path, boolean required) {
        JsonNode node = parent.get(field);
        String fieldPath = join(path, field);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(new Violation(fieldPath, "is required"));
            }
            return List.of();
        }
        if (!node.isArray()) {
            violations.add(new Violation(fieldPath, "must be a list"));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    /** A required text field when {@code fallback} is null; "" stands in for a missing required value. */
    private String text(JsonNode parent, String field, String path, @Nullable String fallback) {
        JsonNode node = parent.get(field);
        String fieldPath = join(path, field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                violations.add(new Violation(fieldPath, "is required"));
                return "";
            }
            return fallback;
        }
        if (!node.isTextual()) {
            violations.add(new Violation(fieldPath, "must be text"));
            return fallback == null ? "" : fallback;
        }
        String value = node.textValue();
        if (value.isBlank()) {
            violations.add(new Violation(fieldPath, "must not be empty"));
        }
        return value;
    }

    private @Nullable String optionalText(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return text(parent, field, path, "");
    }

    private String name(JsonNode parent, String field, String path, @Nullable String fallback) {
        String value = text(parent, field, path, fallback);
        if (!value.isEmpty() && !NAME.matcher(value).matches()) {
            violations.add(new Violation(join(path, field),
                    "'" + value + "' must be 1-64 characters of letters, digits, '.', '_' or '-'"));
        }
        return value;
    }

    private String host(JsonNode parent, String path, @Nullable String fallback) {
        String value = text(parent, "host", path, fallback);
        if (!value.isEmpty() && !HOST.matcher(value).matches()) {
            violations.add(new Violation(join(path, "host"), "'" + value + "' is not a host name or IP address"));
        }
        return value;
    }

    private int port(JsonNode parent, String path, int min, boolean optional) {
        JsonNode node = parent.get("port");
        if (node == null && !optional) {
            violations.add(new Violation(join(path, "port"), "is required"));
            return min;
        }
        return (int) integer(parent, "port", path, 0, min, 65_535);
    }

    private long integer(JsonNode parent, String field, String path, long fallback, long min, long max) {
        JsonNode node = parent.get(field);
        String fieldPath = join(path, field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            violations.add(new Violation(fieldPath, "must be a whole number"));
            return fallback;
        }
        long value = node.longValue();
        if (value < min || value > max) {
            violations.add(new Violation(fieldPath, "must be between " + min + " and " + max));
            return fallback;
        }
        return value;
    }

    private Duration duration(JsonNode parent, String field, String path, Duration fallback) {
        JsonNode node = parent.get(field);
        String fieldPath = join(path, field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        Duration parsed = node.isTextual() ? Durations.parse(node.textValue()) : null;
        if (parsed == null) {
            violations.add(new Violation(fieldPath,
                    "'" + node.asText() + "' is not a duration (use a number and a unit: 500ms, 2s, 1m, 1h)"));
            return fallback;
        }
        if (parsed.isZero()) {
            violations.add(new Violation(fieldPath, "must be greater than zero"));
            return fallback;
        }
        return parsed;
    }

    // Control-plane and resilience blocks (agent.maxOverrideTtl/stateFile, service breaker/outlier/floor,
    // instance id/weight/zone, route rateLimit/retry): kept apart from the data-plane readers above.

    private AgentSettings controlSettings(JsonNode node, String path, String id, String cluster) {
        Duration maxTtl = duration(node, "maxOverrideTtl", path, AgentSettings.DEFAULT_MAX_OVERRIDE_TTL);
        String stateFile = optionalText(node, "stateFile", path);
        return new AgentSettings(id, cluster, maxTtl, stateFile);
    }

    /** One entry of an instance list (the service's own or a static registry block's), or null when it is no mapping. */
    private @Nullable InstanceConfig listedInstance(JsonNode node, String path) {
        if (!expectObject(node, path)) {
            return null;
        }
        checkFields(node, path, INSTANCE_FIELDS);
        return instance(node, path);
    }

    private InstanceConfig instance(JsonNode node, String path) {
        String host = host(node, path, null);
        int port = port(node, path, 1, false);
        String id = text(node, "id", path, host + ":" + port);
        if (node.has("id") && !id.isEmpty() && !INSTANCE_ID.matcher(id).matches()) {
            violations.add(new Violation(path + ".id", "'" + id + "' must be 1-128 characters of letters, digits, '.', '_', ':' or '-'"));
        }
        int weight = (int) integer(node, "weight", path, InstanceConfig.DEFAULT_WEIGHT, 1, 10_000);
        String zone = node.has("zone") ? text(node, "zone", path, "") : "";
        return new InstanceConfig(host, port, id, weight, zone);
    }

    private ServiceConfig resilience(JsonNode node, String path, ServiceConfig service) {
        BreakerSettings breaker = breaker(node.get("breaker"), path + ".breaker");
        OutlierSettings outlier = outlier(node.get("outlier"), path + ".outlier");
        double floor = number(node, "minHealthyPercent", path, ServiceConfig.DEFAULT_MIN_HEALTHY_PERCENT);
        for (Violation violation : new HealthFloor(floor).validate()) {
            violations.add(violation.under(path));
        }
        return new ServiceConfig(service.name(), service.instances(), service.balancer(), service.connectTimeout(),
                service.responseTimeout(), service.idleTimeout(), service.maxConnectionsPerInstance(), breaker,
                outlier, floor, service.consul(), service.healthCheck(), service.consulMaintenance(),
                tlsReader().upstream(node.get("tls"), path + ".tls"));
    }

    private BreakerSettings breaker(@Nullable JsonNode node, String path) {
        BreakerSettings d = BreakerSettings.DEFAULTS;
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return d;
        }
        checkFields(node, path, BREAKER_FIELDS);
        BreakerSettings settings = new BreakerSettings(
                (int) integer(node, "windowSize", path, d.windowSize(), Integer.MIN_VALUE, Integer.MAX_VALUE),
                (int) integer(node, "minimumCalls", path, d.minimumCalls(), Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(node, "failureRateThreshold", path, d.failureRateThreshold()),
                number(node, "slowCallRateThreshold", path, d.slowCallRateThreshold()),
                duration(node, "slowCallDuration", path, d.slowCallDuration()),
                duration(node, "openDuration", path, d.openDuration()),
                (int) integer(node, "halfOpenCalls", path, d.halfOpenCalls(), Integer.MIN_VALUE, Integer.MAX_VALUE));
        for (Violation violation : settings.validate()) {
            violations.add(violation.under(path));
        }
        return settings.validate().isEmpty() ? settings : d;
    }

    private OutlierSettings outlier(@Nullable JsonNode node, String path) {
        OutlierSettings d = OutlierSettings.DEFAULTS;
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return d;
        }
        checkFields(node, path, OUTLIER_FIELDS);
        OutlierSettings settings = new OutlierSettings(
                (int) integer(node, "consecutiveFailures", path, d.consecutiveFailures(), Integer.MIN_VALUE, Integer.MAX_VALUE),
                duration(node, "baseEjectionTime", path, d.baseEjectionTime()),
                duration(node, "maxEjectionTime", path, d.maxEjectionTime()),
                number(node, "maxEjectedPercent", path, d.maxEjectedPercent()),
                number(node, "panicThresholdPercent", path, d.panicThresholdPercent()));
        for (Violation violation : settings.validate()) {
            violations.add(violation.under(path));
        }
        return settings.validate().isEmpty() ? settings : d;
    }

    private @Nullable RateLimitConfig rateLimit(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return null;
        }
        checkFields(node, path, RATE_LIMIT_FIELDS);
        if (!node.has("requestsPerSecond")) {
            violations.add(new Violation(path + ".requestsPerSecond", "is required"));
        }
        double rate = number(node, "requestsPerSecond", path, 1.0);
        int burst = (int) integer(node, "burst", path, Math.max(1, (long) Math.ceil(rate)), Integer.MIN_VALUE, Integer.MAX_VALUE);
        for (Violation violation : new RateLimitSettings(rate, burst).validate()) {
            violations.add(violation.under(path));
        }
        String keyText = text(node, "key", path, RateLimitConfig.Key.ROUTE.yamlName());
        RateLimitConfig.Key key = RateLimitConfig.Key.fromYaml(keyText);
        if (key == null) {
            violations.add(new Violation(path + ".key", "unknown key '" + keyText + "' (known: route, clientIp, header, jwtClaim)"));
            key = RateLimitConfig.Key.ROUTE;
        }
        String keyName = optionalText(node, "keyName", path);
        if (key.needsName() && keyName == null) {
            violations.add(new Violation(path + ".keyName", "is required when key is " + key.yamlName()));
        } else if (!key.needsName() && keyName != null) {
            violations.add(new Violation(path + ".keyName", "only applies when key is header or jwtClaim"));
            keyName = null;
        } else if (key == RateLimitConfig.Key.HEADER && keyName != null && !HEADER_NAME.matcher(keyName).matches()) {
            violations.add(new Violation(path + ".keyName", "'" + keyName + "' is not a header name"));
        }
        return new RateLimitConfig(rate, burst, key, keyName);
    }

    private RetryConfig retry(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !expectObject(node, path)) {
            return RetryConfig.NONE;
        }
        checkFields(node, path, RETRY_FIELDS);
        int attempts = (int) integer(node, "maxAttempts", path, 1, 1, RetryConfig.MAX_ATTEMPTS);
        Duration perTry = node.has("perTryTimeout") ? duration(node, "perTryTimeout", path, Duration.ofSeconds(1)) : null;
        return new RetryConfig(attempts, perTry);
    }

    private double number(JsonNode parent, String field, String path, double fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            violations.add(new Violation(join(path, field), "must be a number"));
            return fallback;
        }
        return node.doubleValue();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
