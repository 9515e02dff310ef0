package dev.sluice.agent.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Writes config records back in the YAML file's own shape (as JSON trees), so that a route or a limit
 * changed at runtime is stored, shown and read back with exactly the rules of the file
 * ({@link ConfigLoader#parseRoute}). Defaults are left out.
 */
public final class ConfigWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ConfigWriter() {}

    public static ObjectNode route(RouteConfig route) {
        ObjectNode node = NODES.objectNode();
        node.put("id", route.id());
        ObjectNode match = node.putObject("match");
        if (!route.match().host().isEmpty()) {
            match.put("host", route.match().host());
        }
        match.put("path", route.match().path());
        if (!route.match().methods().isEmpty()) {
            ArrayNode methods = match.putArray("methods");
            new TreeSet<>(route.match().methods()).forEach(methods::add);
        }
        node.put("service", route.service());
        if (route.stripPrefix() != null) {
            node.put("stripPrefix", route.stripPrefix());
        }
        if (route.rewritePath() != null) {
            node.put("rewritePath", route.rewritePath());
        }
        headers(node, "requestHeaders", route.requestHeaders());
        headers(node, "responseHeaders", route.responseHeaders());
        if (route.responseTimeout() != null) {
            node.put("responseTimeout", Durations.format(route.responseTimeout()));
        }
        if (route.maxBodyBytes() != RouteConfig.DEFAULT_MAX_BODY_BYTES) {
            node.put("maxBodyBytes", route.maxBodyBytes());
        }
        RateLimitConfig limit = route.rateLimit();
        if (limit != null) {
            node.set("rateLimit", rateLimit(limit));
        }
        if (!route.filters().isEmpty()) {
            node.set("filters", JSON.valueToTree(route.filters()));
        }
        if (route.retry().enabled()) {
            ObjectNode retry = node.putObject("retry");
            retry.put("maxAttempts", route.retry().maxAttempts());
            if (route.retry().perTryTimeout() != null) {
                retry.put("perTryTimeout", Durations.format(route.retry().perTryTimeout()));
            }
        }
        return node;
    }

    public static ObjectNode rateLimit(RateLimitConfig limit) {
        ObjectNode node = NODES.objectNode();
        node.put("requestsPerSecond", limit.requestsPerSecond());
        node.put("burst", limit.burst());
        node.put("key", limit.key().yamlName());
        if (limit.keyName() != null) {
            node.put("keyName", limit.keyName());
        }
        return node;
    }

    private static void headers(ObjectNode parent, String field, @Nullable HeaderRewrite rewrite) {
        if (rewrite == null || rewrite.equals(HeaderRewrite.NONE)) {
            return;
        }
        ObjectNode node = parent.putObject(field);
        if (!rewrite.set().isEmpty()) {
            ObjectNode set = node.putObject("set");
            for (Map.Entry<String, String> e : rewrite.set().entrySet()) {
                set.put(e.getKey(), e.getValue());
            }
        }
        if (!rewrite.add().isEmpty()) {
            ObjectNode add = node.putObject("add");
            for (Map.Entry<String, String> e : rewrite.add().entrySet()) {
                add.put(e.getKey(), e.getValue());
            }
        }
        if (!rewrite.remove().isEmpty()) {
            ArrayNode remove = node.putArray("remove");
            rewrite.remove().forEach(remove::add);
        }
    }
}
