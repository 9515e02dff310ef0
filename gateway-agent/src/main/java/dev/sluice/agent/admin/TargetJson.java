package dev.sluice.agent.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agent.config.HeaderRewrite;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.config.RetryConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.RouteMatch;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.control.OverrideInfo;
import dev.sluice.agent.filter.FilterSecrets;
import dev.sluice.agent.resilience.BreakerOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The audited JSON of a change's target ({@code breaker:S}, {@code instance:S/I}, {@code route:R}) as
 * the effective state shows it, and the change that brings a target back to such a document — which
 * is what a revert applies. The layout is this class's own, so the audit log and revert agree on it
 * whatever the control plane reports; "" stands for a target that does not exist.
 */
public final class TargetJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TargetJson() {}

  /** The target as JSON in {@code state}; "" when the route, service or instance does not exist. */
  public static String of(GatewayState state, String target) {
    int colon = target.indexOf(':');
    if (colon < 0) {
      return "";
    }
    String kind = target.substring(0, colon);
    String name = target.substring(colon + 1);
    ObjectNode node = switch (kind) {
      case "breaker" -> breaker(state, name);
      case "instance" -> instance(state, name);
      case "route" -> route(state, name);
      default -> null;
    };
    return node == null ? "" : node.toString();
  }

  private static @Nullable ObjectNode breaker(GatewayState state, String service) {
    for (GatewayState.ServiceState s : state.services()) {
      if (s.config().name().equals(service)) {
        ObjectNode node = JSON.createObjectNode();
        node.put("service", service);
        node.put("override", s.breaker().override().name());
        node.put("computedState", s.breaker().computedState().name());
        putOverride(node, s.breaker().override() == BreakerOverride.NONE ? null : s.breakerOverride());
        return node;
      }
    }
    return null;
  }

  private static @Nullable ObjectNode instance(GatewayState state, String serviceAndInstance) {
    int slash = serviceAndInstance.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String service = serviceAndInstance.substring(0, slash);
    String id = serviceAndInstance.substring(slash + 1);
    for (GatewayState.ServiceState s : state.services()) {
      if (!s.config().name().equals(service)) {
        continue;
      }
      for (GatewayState.InstanceState instance : s.instances()) {
        if (instance.id().equals(id)) {
          ObjectNode node = JSON.createObjectNode();
          node.put("service", service);
          node.put("instance", id);
          node.put("drained", instance.drain() != null);
          putOverride(node, instance.drain());
          return node;
        }
      }
    }
    return null;
  }

  private static @Nullable ObjectNode route(GatewayState state, String routeId) {
    for (GatewayState.RouteState r : state.routes()) {
      if (r.route().id().equals(routeId)) {
        ObjectNode node = JSON.createObjectNode();
        node.set("route", routeNode(r.route()));
        node.set("configuredLimit", limitNode(r.configuredLimit()));
        node.set("effectiveLimit", limitNode(r.effectiveLimit()));
        node.put("limitOverridden", r.limitOverride() != null);
        putOverride(node, r.limitOverride());
        return node;
      }
    }
    return null;
  }

  private static void putOverride(ObjectNode node, @Nullable OverrideInfo info) {
    if (info == null) {
      node.putNull("setBy");
      node.putNull("expiresAt");
      return;
    }
    node.put("setBy", info.setBy());
    node.put("reason", info.reason());
    node.put("expiresAt", info.expiresAt() == null ? null : info.expiresAt().toString());
  }

  private static ObjectNode routeNode(RouteConfig route) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", route.id());
    ObjectNode match = node.putObject("match");
    match.put("host", route.match().host());
    match.put("path", route.match().path());
    ArrayNode methods = match.putArray("methods");
    route.match().methods().stream().sorted().forEach(methods::add);
    node.put("service", route.service());
    node.put("stripPrefix", route.stripPrefix());
    node.put("rewritePath", route.rewritePath());
    node.set("requestHeaders", headersNode(route.requestHeaders()));
    node.set("responseHeaders", headersNode(route.responseHeaders()));
    node.put("responseTimeoutMillis", route.responseTimeout() == null ? null : route.responseTimeout().toMillis());
    node.put("maxBodyBytes", route.maxBodyBytes());
    RateLimitConfig limit = route.rateLimit();
    node.set("rateLimit", limit == null ? JSON.nullNode() : limitNode(new Change.RateLimit(limit.requestsPerSecond(),
        limit.burst(), Change.RateLimit.Key.valueOf(limit.key().name()), limit.keyName())));
    ObjectNode retry = node.putObject("retry");
    retry.put("maxAttempts", route.retry().maxAttempts());
    retry.put("perTryTimeoutMillis", route.retry().perTryTimeout() == null ? null : route.retry().perTryTimeout().toMillis());
    // Audit entries are read by viewers: the filters go in with every secret redacted.
    node.set("filters", JSON.valueToTree(FilterSecrets.redact(route.filters())));
    return node;
  }

  private static ObjectNode headersNode(HeaderRewrite rewrite) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode set = node.putObject("set");
    rewrite.set().forEach(set::put);
    ObjectNode add = node.putObject("add");
    rewrite.add().forEach(add::put);
    ArrayNode remove = node.putArray("remove");
    rewrite.remove().forEach(remove::add);
    return node;
  }

  private static JsonNode limitNode(Change.@Nullable RateLimit limit) {
    if (limit == null) {
      return JSON.nullNode();
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("requestsPerSecond", limit.requestsPerSecond());
    node.put("burst", limit.burst());
    node.put("key", limit.key().name());
    node.put("keyName", limit.keyName());
    return node;
  }

  // --- revert ---

  /** The change a revert applies, or why there is none. */
  public sealed interface Reverse {
    record Apply(Change change) implements Reverse {}

    record Impossible(String reason) implements Reverse {}
  }

  /**
   * The change that brings {@code target} back to {@code beforeJson} as written by an entry of
   * {@code rpc}: a breaker's override (or a reset), an instance's drain (or undrain), a route (or its
   * deletion) or a route's limit. An override that had a deadline gets back the time it had left at
   * {@code now}; one whose deadline has passed since is not restored.
   */
  public static Reverse reverse(String rpc, String target, String beforeJson, Instant now) {
    int colon = target.indexOf(':');
    if (colon < 0) {
      return new Reverse.Impossible("target " + target + " is not a breaker, instance or route");
    }
    String name = target.substring(colon + 1);
    JsonNode before;
    try {
      before = beforeJson.isEmpty() ? null : JSON.readTree(beforeJson);
    } catch (JsonProcessingException e) {
      return new Reverse.Impossible("the entry's before-state is not readable JSON");
    }
    switch (target.substring(0, colon)) {
      case "breaker" -> {
        if (before == null) {
          return new Reverse.Impossible("the service did not exist before the entry");
        }
        String override = before.path("override").asText("NONE");
        Duration ttl = remaining(before, now);
        if (override.equals("NONE") || expired(before, now)) {
          return new Reverse.Apply(new Change.ResetBreaker(name));
        }
        return new Reverse.Apply(override.equals("FORCED_OPEN")
            ? new Change.TripBreaker(name, ttl) : new Change.ForceCloseBreaker(name, ttl));
      }
      case "instance" -> {
        int slash = name.indexOf('/');
        if (before == null || slash < 0) {
          return new Reverse.Impossible("the instance did not exist before the entry");
        }
        String service = name.substring(0, slash);
        String instance = name.substring(slash + 1);
        if (!before.path("drained").asBoolean() || expired(before, now)) {
          return new Reverse.Apply(new Change.Undrain(service, instance));
        }
        return new Reverse.Apply(new Change.Drain(service, instance, remaining(before, now), false));
      }
      case "route" -> {
        // A revert is audited as "RevertAuditEntry/<change>", so its own revert is told apart too.
        boolean limitChange = rpc.contains("RateLimit") || rpc.contains("ExtendOverride");
        if (before == null) {
          return limitChange ? new Reverse.Impossible("the route did not exist before the entry")
              : new Reverse.Apply(new Change.DeleteRoute(name));
        }
        if (!limitChange) {
          // Entries from before filters were audited have none: the route then keeps its current filters.
          JsonNode route = before.path("route");
          return new Reverse.Apply(new Change.UpsertRoute(routeConfig(route), !route.has("filters")));
        }
        JsonNode effective = before.path("effectiveLimit");
        if (!before.path("limitOverridden").asBoolean() || expired(before, now)) {
          return new Reverse.Apply(new Change.ClearRateLimit(name, false));
        }
        if (effective.isNull() || effective.isMissingNode()) {
          return new Reverse.Apply(new Change.ClearRateLimit(name, true));
        }
        return new Reverse.Apply(new Change.SetRateLimit(name, rateLimit(effective), remaining(before, now)));
      }
      default -> {
        return new Reverse.Impossible("target " + target + " is not a breaker, instance or route");
      }
    }
  }

  private static boolean expired(JsonNode node, Instant now) {
    String expiresAt = node.path("expiresAt").asText(null);
    return expiresAt != null && !Instant.parse(expiresAt).isAfter(now);
  }

  private static @Nullable Duration remaining(JsonNode node, Instant now) {
    String expiresAt = node.path("expiresAt").asText(null);
    if (expiresAt == null) {
      return null;
    }
    Duration left = Duration.between(now, Instant.parse(expiresAt));
    return left.isNegative() || left.isZero() ? null : left;
  }

  private static Change.RateLimit rateLimit(JsonNode node) {
    return new Change.RateLimit(node.path("requestsPerSecond").asDouble(), node.path("burst").asInt(),
        Change.RateLimit.Key.valueOf(node.path("key").asText("ROUTE")), node.path("keyName").asText(null));
  }

  private static RouteConfig routeConfig(JsonNode node) {
    JsonNode match = node.path("match");
    Set<String> methods = new LinkedHashSet<>();
    match.path("methods").forEach(m -> methods.add(m.asText()));
    JsonNode timeout = node.path("responseTimeoutMillis");
    return new RouteConfig(node.path("id").asText(),
        new RouteMatch(match.path("host").asText(""), match.path("path").asText(), methods),
        node.path("service").asText(), node.path("stripPrefix").asText(null),
        node.path("rewritePath").asText(null), headers(node.path("requestHeaders")),
        headers(node.path("responseHeaders")),
        timeout.isNumber() ? Duration.ofMillis(timeout.asLong()) : null,
        node.path("maxBodyBytes").asLong(RouteConfig.DEFAULT_MAX_BODY_BYTES),
        rateLimitConfig(node.path("rateLimit")), retryConfig(node.path("retry")), filters(node.path("filters")));
  }

  /** The redacted filters as written; their placeholders keep the current secrets when applied. */
  private static List<Map<String, Object>> filters(JsonNode node) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode filter : node) {
      out.add(JSON.convertValue(filter, new TypeReference<Map<String, Object>>() {}));
    }
    return out;
  }

  private static @Nullable RateLimitConfig rateLimitConfig(JsonNode node) {
    if (!node.isObject()) {
      return null;
    }
    Change.RateLimit limit = rateLimit(node);
    return new RateLimitConfig(limit.requestsPerSecond(), limit.burst(), RateLimitConfig.Key.valueOf(limit.key().name()),
        limit.keyName());
  }

  private static RetryConfig retryConfig(JsonNode node) {
    if (!node.isObject() || node.path("maxAttempts").asInt(1) <= 1) {
      return RetryConfig.NONE;
    }
    JsonNode perTry = node.path("perTryTimeoutMillis");
    return new RetryConfig(node.path("maxAttempts").asInt(), perTry.isNumber() ? Duration.ofMillis(perTry.asLong()) : null);
  }

  private static HeaderRewrite headers(JsonNode node) {
    Map<String, String> set = new LinkedHashMap<>();
    node.path("set").properties().forEach(e -> set.put(e.getKey(), e.getValue().asText()));
    Map<String, String> add = new LinkedHashMap<>();
    node.path("add").properties().forEach(e -> add.put(e.getKey(), e.getValue().asText()));
    List<String> remove = new ArrayList<>();
    node.path("remove").forEach(r -> remove.add(r.asText()));
    return new HeaderRewrite(set, add, remove);
  }
}
