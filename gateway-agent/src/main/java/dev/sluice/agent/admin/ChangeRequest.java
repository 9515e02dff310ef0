package dev.sluice.agent.admin;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ClearRateLimitRequest;
import dev.sluice.admin.v1.DeleteRouteRequest;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.ExtendOverrideRequest;
import dev.sluice.admin.v1.ForceCloseBreakerRequest;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UndrainInstanceRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.agent.config.HeaderRewrite;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.config.RetryConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.RouteMatch;
import dev.sluice.agent.control.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One ControlService request read into a {@link Change}, with every problem of its fields as
 * (proto field path, message) pairs — {@code context.reason}, {@code route.match.path}, {@code ttl}.
 * {@code change} is null when the request is too broken to be one; {@code target} is what the
 * audit entry names either way.
 */
record ChangeRequest(
    String rpc,
    String target,
    @Nullable Change change,
    String reason,
    @Nullable String incidentId,
    long expectedVersion,
    List<Map.Entry<String, String>> violations) {

  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");

  ChangeRequest {
    violations = List.copyOf(violations);
  }

  boolean valid() {
    return violations.isEmpty() && change != null;
  }

  /** The override's time-to-live when the change sets or extends one; null otherwise. */
  @Nullable Duration ttl() {
    if (change instanceof Change.TripBreaker c) {
      return c.ttl();
    } else if (change instanceof Change.ForceCloseBreaker c) {
      return c.ttl();
    } else if (change instanceof Change.Drain c) {
      return c.ttl();
    } else if (change instanceof Change.SetRateLimit c) {
      return c.ttl();
    } else if (change instanceof Change.ExtendOverride c) {
      return c.ttl();
    }
    return null;
  }

  /** True for an override that ends only when undone: a trip, force-close or drain with no ttl. */
  boolean permanentOverride() {
    return ttl() == null && (change instanceof Change.TripBreaker
        || change instanceof Change.ForceCloseBreaker || change instanceof Change.Drain);
  }

  static ChangeRequest of(String rpc, Change change, ChangeContext context) {
    Builder b = new Builder(rpc, context);
    return b.build(change.target(), change);
  }

  static ChangeRequest trip(TripBreakerRequest r) {
    Builder b = new Builder("TripBreaker", r.getContext());
    String service = b.required("service", r.getService());
    Duration ttl = b.ttl(r.hasTtl(), r.getTtl());
    return b.build("breaker:" + service, new Change.TripBreaker(service, ttl));
  }

  static ChangeRequest forceClose(ForceCloseBreakerRequest r) {
    Builder b = new Builder("ForceCloseBreaker", r.getContext());
    String service = b.required("service", r.getService());
    Duration ttl = b.ttl(r.hasTtl(), r.getTtl());
    return b.build("breaker:" + service, new Change.ForceCloseBreaker(service, ttl));
  }

  static ChangeRequest reset(ResetBreakerRequest r) {
    Builder b = new Builder("ResetBreaker", r.getContext());
    String service = b.required("service", r.getService());
    return b.build("breaker:" + service, new Change.ResetBreaker(service));
  }

  static ChangeRequest drain(DrainInstanceRequest r) {
    Builder b = new Builder("DrainInstance", r.getContext());
    String service = b.required("service", r.getService());
    String instance = b.required("instance_id", r.getInstanceId());
    Duration ttl = b.ttl(r.hasTtl(), r.getTtl());
    return b.build("instance:" + service + "/" + instance,
        new Change.Drain(service, instance, ttl, r.getAllowBelowFloor(), r.getConsulMaintenance()));
  }

  static ChangeRequest undrain(UndrainInstanceRequest r) {
    Builder b = new Builder("UndrainInstance", r.getContext());
    String service = b.required("service", r.getService());
    String instance = b.required("instance_id", r.getInstanceId());
    return b.build("instance:" + service + "/" + instance, new Change.Undrain(service, instance));
  }

  static ChangeRequest setRateLimit(SetRateLimitRequest r) {
    Builder b = new Builder("SetRateLimit", r.getContext());
    String route = b.required("route_id", r.getRouteId());
    Duration ttl = b.ttl(r.hasTtl(), r.getTtl());
    Change.RateLimit limit = null;
    if (!r.hasLimit()) {
      b.violation("limit", "is required");
    } else {
      limit = b.limit("limit", r.getLimit());
    }
    return b.build("route:" + route, limit == null ? null : new Change.SetRateLimit(route, limit, ttl));
  }

  static ChangeRequest clearRateLimit(ClearRateLimitRequest r) {
    Builder b = new Builder("ClearRateLimit", r.getContext());
    String route = b.required("route_id", r.getRouteId());
    return b.build("route:" + route, new Change.ClearRateLimit(route, r.getRemoveConfigured()));
  }

  static ChangeRequest deleteRoute(DeleteRouteRequest r) {
    Builder b = new Builder("DeleteRoute", r.getContext());
    String route = b.required("route_id", r.getRouteId());
    return b.build("route:" + route, new Change.DeleteRoute(route));
  }

  static ChangeRequest upsertRoute(UpsertRouteRequest r) {
    Builder b = new Builder("UpsertRoute", r.getContext());
    if (!r.hasRoute()) {
      b.violation("route", "is required");
      return b.build("route:", null);
    }
    dev.sluice.admin.v1.Route route = r.getRoute();
    String id = b.required("route.id", route.getId());
    String path = route.getMatch().getPath();
    if (path.isEmpty()) {
      b.violation("route.match.path", "is required");
    } else if (!path.startsWith("/")) {
      b.violation("route.match.path", "must start with '/'");
    }
    Set<String> methods = new LinkedHashSet<>();
    for (int i = 0; i < route.getMatch().getMethodsCount(); i++) {
      String method = route.getMatch().getMethods(i);
      if (!METHOD.matcher(method).matches()) {
        b.violation("route.match.methods[" + i + "]", "must be an upper-case HTTP method such as GET");
      } else if (!methods.add(method)) {
        b.violation("route.match.methods[" + i + "]", "method " + method + " is listed twice");
      }
    }
    String service = b.required("route.service", route.getService());
    String strip = route.getStripPrefix().isEmpty() ? null : route.getStripPrefix();
    String rewrite = route.getRewritePath().isEmpty() ? null : route.getRewritePath();
    if (strip != null && !strip.startsWith("/")) {
      b.violation("route.strip_prefix", "must start with '/'");
    }
    if (rewrite != null && !rewrite.startsWith("/")) {
      b.violation("route.rewrite_path", "must start with '/'");
    }
    Duration timeout = null;
    if (route.hasResponseTimeout()) {
      timeout = AdminProtoMapper.duration(route.getResponseTimeout());
      if (timeout.isNegative() || timeout.isZero()) {
        b.violation("route.response_timeout", "must be greater than zero");
      }
    }
    if (route.getMaxBodyBytes() < 0) {
      b.violation("route.max_body_bytes", "must not be negative");
    }
    List<Map<String, Object>> filters = new ArrayList<>();
    for (int i = 0; i < route.getFiltersCount(); i++) {
      dev.sluice.admin.v1.FilterSpec spec = route.getFilters(i);
      if (spec.getSettings().containsFields("name")) {
        b.violation("route.filters[" + i + "].settings.name", "the filter's name goes in route.filters[" + i + "].name");
      }
      filters.add(AdminProtoMapper.filterMap(spec));
    }
    RetryConfig retry = RetryConfig.NONE;
    if (route.hasRetry() && route.getRetry().getMaxAttempts() > 1) {
      int attempts = route.getRetry().getMaxAttempts();
      if (attempts > RetryConfig.MAX_ATTEMPTS) {
        b.violation("route.retry.max_attempts", "must be at most " + RetryConfig.MAX_ATTEMPTS);
      }
      Duration perTry = route.getRetry().hasPerTryTimeout()
          ? AdminProtoMapper.duration(route.getRetry().getPerTryTimeout()) : null;
      if (perTry != null && (perTry.isNegative() || perTry.isZero())) {
        b.violation("route.retry.per_try_timeout", "must be greater than zero");
      }
      retry = new RetryConfig(attempts, perTry);
    }
    RateLimitConfig limit = null;
    if (route.getRateLimit().hasConfigured()) {
      Change.RateLimit parsed = b.limit("route.rate_limit.configured", route.getRateLimit().getConfigured());
      limit = parsed == null ? null : new RateLimitConfig(parsed.requestsPerSecond(), parsed.burst(),
          RateLimitConfig.Key.valueOf(parsed.key().name()), parsed.keyName());
    }
    RouteConfig config = new RouteConfig(id,
        new RouteMatch(route.getMatch().getHost().toLowerCase(java.util.Locale.ROOT), path, methods),
        service, strip, rewrite, headers(route.getRequestHeaders()), headers(route.getResponseHeaders()),
        timeout, route.getMaxBodyBytes() == 0 ? RouteConfig.DEFAULT_MAX_BODY_BYTES : route.getMaxBodyBytes(),
        limit, retry, filters);
    boolean keepFilters = filters.isEmpty() && !r.getReplaceFilters();
    return b.build("route:" + id, new Change.UpsertRoute(config, keepFilters));
  }

  static ChangeRequest extend(ExtendOverrideRequest r) {
    Builder b = new Builder("ExtendOverride", r.getContext());
    Change.OverrideRef ref = switch (r.getTarget().getTargetCase()) {
      case BREAKER_SERVICE -> new Change.OverrideRef.Breaker(
          b.required("target.breaker_service", r.getTarget().getBreakerService()));
      case INSTANCE -> new Change.OverrideRef.DrainOf(
          b.required("target.instance.service", r.getTarget().getInstance().getService()),
          b.required("target.instance.instance_id", r.getTarget().getInstance().getInstanceId()));
      case RATE_LIMIT_ROUTE_ID -> new Change.OverrideRef.Limit(
          b.required("target.rate_limit_route_id", r.getTarget().getRateLimitRouteId()));
      case TARGET_NOT_SET -> null;
    };
    if (ref == null) {
      b.violation("target", "is required: a breaker service, an instance or a rate-limit route id");
    }
    Duration ttl = b.ttl(r.hasTtl(), r.getTtl());
    if (ttl == null) {
      b.violation("ttl", "is required: the new time-to-live counted from now");
    }
    return b.build(ref == null ? "override:" : ref.target(),
        ref == null || ttl == null ? null : new Change.ExtendOverride(ref, ttl));
  }

  private static HeaderRewrite headers(dev.sluice.admin.v1.HeaderRewrite proto) {
    return new HeaderRewrite(proto.getSetMap(), proto.getAddMap(), proto.getRemoveList());
  }

  /** Collects the violations of one request, starting with its context. */
  private static final class Builder {
    private final String rpc;
    private final ChangeContext context;
    private final List<Map.Entry<String, String>> violations = new ArrayList<>();

    Builder(String rpc, ChangeContext context) {
      this.rpc = rpc;
      this.context = context;
      if (context.getReason().isBlank()) {
        violation("context.reason", "is required: say why, it goes to the audit log and the event stream");
      }
      if (context.getExpectedVersion() < 0) {
        violation("context.expected_version", "must not be negative");
      }
    }

    void violation(String field, String message) {
      violations.add(Map.entry(field, message));
    }

    String required(String field, String value) {
      if (value.isBlank()) {
        violation(field, "is required");
      }
      return value;
    }

    @Nullable Duration ttl(boolean present, com.google.protobuf.Duration proto) {
      if (!present) {
        return null;
      }
      Duration ttl = AdminProtoMapper.duration(proto);
      if (ttl.isNegative() || ttl.isZero()) {
        violation("ttl", "must be greater than zero (leave it out for an override that holds until undone)");
        return null;
      }
      return ttl;
    }

    Change.@Nullable RateLimit limit(String field, dev.sluice.admin.v1.RateLimit proto) {
      int before = violations.size();
      if (!(proto.getRequestsPerSecond() > 0) || Double.isInfinite(proto.getRequestsPerSecond())) {
        violation(field + ".requests_per_second", "must be greater than zero");
      }
      if (proto.getBurst() < 1) {
        violation(field + ".burst", "must be at least 1");
      }
      Change.RateLimit.Key key = switch (proto.getKey()) {
        case RATE_LIMIT_KEY_UNSPECIFIED, RATE_LIMIT_KEY_ROUTE -> Change.RateLimit.Key.ROUTE;
        case RATE_LIMIT_KEY_CLIENT_IP -> Change.RateLimit.Key.CLIENT_IP;
        case RATE_LIMIT_KEY_HEADER -> Change.RateLimit.Key.HEADER;
        case RATE_LIMIT_KEY_JWT_CLAIM -> Change.RateLimit.Key.JWT_CLAIM;
        case UNRECOGNIZED -> null;
      };
      if (key == null) {
        violation(field + ".key", "unknown key kind");
      }
      boolean named = proto.getKey() == RateLimitKey.RATE_LIMIT_KEY_HEADER
          || proto.getKey() == RateLimitKey.RATE_LIMIT_KEY_JWT_CLAIM;
      if (named && proto.getKeyName().isBlank()) {
        violation(field + ".key_name", "is required when the key is a header or a JWT claim");
      }
      if (violations.size() > before || key == null) {
        return null;
      }
      return new Change.RateLimit(proto.getRequestsPerSecond(), proto.getBurst(), key,
          named ? proto.getKeyName() : null);
    }

    ChangeRequest build(String target, @Nullable Change change) {
      return new ChangeRequest(rpc, target, change, context.getReason().strip(),
          context.getIncidentId().isBlank() ? null : context.getIncidentId().strip(),
          context.getExpectedVersion(), violations);
    }
  }
}
