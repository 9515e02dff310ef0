package dev.sluice.agent.admin;

import dev.sluice.admin.v1.BalancerKind;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerSettings;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.CheckHealth;
import dev.sluice.admin.v1.HeaderRewrite;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.InstanceBreakerStats;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.Origin;
import dev.sluice.admin.v1.OutlierSettings;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.RateLimitStatus;
import dev.sluice.admin.v1.RegistryHealth;
import dev.sluice.admin.v1.RegistryKind;
import dev.sluice.admin.v1.RetryPolicy;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.control.OverrideInfo;
import dev.sluice.agent.filter.FilterSecrets;
import dev.sluice.agent.resilience.BreakerSnapshot;
import dev.sluice.agent.resilience.InstanceCallStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Translates the control plane's {@link GatewayState} to the API's {@link Snapshot}: routes with
 * their origin and limits, services with instances, breakers with the computed state and the
 * override side by side. Kept apart from {@link AdminProtoMapper} (events, audit, telemetry).
 */
public final class StateProtoMapper {

  private StateProtoMapper() {}

  /**
   * The snapshot; {@code auditIds} names the audit entry that set an override on a target
   * ("breaker:users"), or null when unknown (e.g. set before the agent restarted).
   */
  public static Snapshot snapshot(GatewayState state, Function<String, @Nullable String> auditIds) {
    Snapshot.Builder snapshot = Snapshot.newBuilder()
        .setConfigVersion(state.version())
        .setTakenAt(AdminProtoMapper.timestamp(state.takenAt()));
    for (GatewayState.RouteState route : state.routes()) {
      snapshot.addRoutes(route(route, auditIds));
    }
    for (GatewayState.ServiceState service : state.services()) {
      snapshot.addServices(service(service, auditIds));
      snapshot.addBreakers(breaker(service, state.takenAt(), auditIds));
    }
    return snapshot.build();
  }

  static Route route(GatewayState.RouteState state, Function<String, @Nullable String> auditIds) {
    RouteConfig config = state.route();
    Route.Builder route = Route.newBuilder()
        .setId(config.id())
        .setMatch(RouteMatch.newBuilder().setHost(config.match().host()).setPath(config.match().path())
            .addAllMethods(config.match().methods().stream().sorted().toList()))
        .setService(config.service())
        .setStripPrefix(orEmpty(config.stripPrefix()))
        .setRewritePath(orEmpty(config.rewritePath()))
        .setRequestHeaders(headers(config.requestHeaders()))
        .setResponseHeaders(headers(config.responseHeaders()))
        .setMaxBodyBytes(config.maxBodyBytes() == RouteConfig.DEFAULT_MAX_BODY_BYTES ? 0 : config.maxBodyBytes())
        .setOrigin(state.fromFile() && !state.differsFromFile() ? Origin.ORIGIN_FILE : Origin.ORIGIN_RUNTIME)
        .setDiffersFromFile(state.differsFromFile());
    if (config.responseTimeout() != null) {
      route.setResponseTimeout(AdminProtoMapper.duration(config.responseTimeout()));
    }
    RetryPolicy.Builder retry = RetryPolicy.newBuilder().setMaxAttempts(config.retry().maxAttempts());
    if (config.retry().perTryTimeout() != null) {
      retry.setPerTryTimeout(AdminProtoMapper.duration(config.retry().perTryTimeout()));
    }
    route.setRetry(retry);
    for (Map<String, Object> filter : FilterSecrets.redact(config.filters())) {
      route.addFilters(AdminProtoMapper.filterSpec(filter));
    }
    RateLimitStatus.Builder limit = RateLimitStatus.newBuilder();
    if (state.configuredLimit() != null) {
      limit.setConfigured(rateLimit(state.configuredLimit()));
    }
    if (state.effectiveLimit() != null) {
      limit.setEffective(rateLimit(state.effectiveLimit()));
    }
    if (state.limitOverride() != null) {
      limit.setOverride(override(state.limitOverride(), auditIds.apply("route:" + config.id())));
    }
    return route.setRateLimit(limit).build();
  }

  static Service service(GatewayState.ServiceState state, Function<String, @Nullable String> auditIds) {
    ServiceConfig config = state.config();
    Service.Builder service = Service.newBuilder()
        .setName(config.name())
        .setBalancer(config.balancer() == dev.sluice.agent.config.BalancerKind.LEAST_REQUEST
            ? BalancerKind.BALANCER_KIND_LEAST_REQUEST : BalancerKind.BALANCER_KIND_ROUND_ROBIN)
        .setBreaker(BreakerSettings.newBuilder()
            .setWindowSize(config.breaker().windowSize())
            .setMinimumCalls(config.breaker().minimumCalls())
            .setFailureRateThreshold(config.breaker().failureRateThreshold())
            .setSlowCallRateThreshold(config.breaker().slowCallRateThreshold())
            .setSlowCallDuration(AdminProtoMapper.duration(config.breaker().slowCallDuration()))
            .setOpenDuration(AdminProtoMapper.duration(config.breaker().openDuration()))
            .setHalfOpenCalls(config.breaker().halfOpenCalls()))
        .setOutlier(OutlierSettings.newBuilder()
            .setEnabled(config.outlier().consecutiveFailures() > 0)
            .setConsecutiveFailures(config.outlier().consecutiveFailures())
            .setBaseEjectionTime(AdminProtoMapper.duration(config.outlier().baseEjectionTime()))
            .setMaxEjectionTime(AdminProtoMapper.duration(config.outlier().maxEjectionTime()))
            .setMaxEjectedPercent(config.outlier().maxEjectedPercent())
            .setPanicThresholdPercent(config.outlier().panicThresholdPercent()))
        .setConnectTimeout(AdminProtoMapper.duration(config.connectTimeout()))
        .setResponseTimeout(AdminProtoMapper.duration(config.responseTimeout()))
        .setIdleTimeout(AdminProtoMapper.duration(config.idleTimeout()))
        .setMaxConnectionsPerInstance(config.maxConnectionsPerInstance())
        .setMinHealthyPercent(state.minHealthyPercent())
        .setRegistry(config.consul() == null ? RegistryKind.REGISTRY_KIND_STATIC : RegistryKind.REGISTRY_KIND_CONSUL)
        .setRegistryStale(state.registryStale())
        .setRegistryStatus(state.registryStatus());
    if (config.healthCheck() != null) {
      service.setHealthCheck(healthCheck(config.healthCheck()));
    }
    for (GatewayState.InstanceState instance : state.instances()) {
      service.addInstances(instance(config.name(), instance, auditIds));
    }
    return service.build();
  }

  /** The active check's settings; expected statuses are listed one by one, empty for the default 200–399. */
  static dev.sluice.admin.v1.HealthCheckSettings healthCheck(dev.sluice.agent.health.HealthCheckSettings settings) {
    dev.sluice.admin.v1.HealthCheckSettings.Builder check = dev.sluice.admin.v1.HealthCheckSettings.newBuilder()
        .setEnabled(true)
        .setMethod(settings.method())
        .setPath(settings.path())
        .setInterval(AdminProtoMapper.duration(settings.interval()))
        .setTimeout(AdminProtoMapper.duration(settings.timeout()))
        .setHealthyThreshold(settings.healthyThreshold())
        .setUnhealthyThreshold(settings.unhealthyThreshold());
    if (!settings.expectedStatuses().equals(dev.sluice.agent.health.HealthCheckSettings.DEFAULT_STATUSES)) {
      for (dev.sluice.agent.health.HealthCheckSettings.StatusRange range : settings.expectedStatuses()) {
        for (int status = range.from(); status <= range.to(); status++) {
          check.addExpectedStatuses(status);
        }
      }
    }
    return check.build();
  }

  static Instance instance(String service, GatewayState.InstanceState state,
      Function<String, @Nullable String> auditIds) {
    Instance.Builder instance = Instance.newBuilder()
        .setId(state.id())
        .setService(service)
        .setHost(state.host())
        .setPort(state.port())
        .setWeight(state.weight())
        .setZone(state.zone())
        .setRegistryHealth(RegistryHealth.valueOf("REGISTRY_HEALTH_" + state.registryHealth().name()))
        .setCheckHealth(CheckHealth.valueOf("CHECK_HEALTH_" + state.checkHealth().name()))
        .setServing(state.serving())
        .setNotServingReason(state.notServingReason());
    if (state.ejectedUntil() != null) {
      instance.setEjectedUntil(AdminProtoMapper.timestamp(state.ejectedUntil()));
    }
    if (state.drain() != null) {
      instance.setDrain(override(state.drain(), auditIds.apply("instance:" + service + "/" + state.id())));
    }
    return instance.build();
  }

  /** The breaker with the computed state and the override kept apart, and its blast radius. */
  static Breaker breaker(GatewayState.ServiceState state, Instant now,
      Function<String, @Nullable String> auditIds) {
    BreakerSnapshot snapshot = state.breaker();
    Breaker.Builder breaker = Breaker.newBuilder()
        .setService(state.config().name())
        .setComputedState(BreakerState.valueOf("BREAKER_STATE_" + snapshot.computedState().name()))
        .setOverride(BreakerOverride.valueOf("BREAKER_OVERRIDE_" + snapshot.override().name()))
        .setFailureRate(snapshot.failureRate())
        .setSlowCallRate(snapshot.slowCallRate())
        .setCallsInWindow(snapshot.callsInWindow())
        .setFailedCallsInWindow(snapshot.failedCallsInWindow())
        .setSlowCallsInWindow(snapshot.slowCallsInWindow())
        .setNotPermittedCalls(snapshot.notPermittedCalls())
        // Breaker times are on the monotonic clock; the age of the state maps it to wall time.
        .setStateSince(AdminProtoMapper.timestamp(now.minus(Duration.ofNanos(
            Math.max(0, System.nanoTime() - snapshot.stateSinceNanos())))))
        .addAllRouteIds(state.routeIds());
    if (snapshot.override() != dev.sluice.agent.resilience.BreakerOverride.NONE && state.breakerOverride() != null) {
      breaker.setOverrideInfo(override(state.breakerOverride(), auditIds.apply("breaker:" + state.config().name())));
    }
    for (InstanceCallStats.Snapshot stats : snapshot.instances()) {
      breaker.addInstances(InstanceBreakerStats.newBuilder().setInstanceId(stats.instanceId())
          .setCalls(stats.calls()).setFailedCalls(stats.failedCalls()).setSlowCalls(stats.slowCalls()));
    }
    return breaker.build();
  }

  /** An instance's health as a telemetry frame carries it ({@link StateFrameExtras} adds its load figures). */
  static InstanceTelemetry instanceTelemetry(String service, GatewayState.InstanceState state, Instant now) {
    return InstanceTelemetry.newBuilder()
        .setService(service)
        .setInstanceId(state.id())
        .setServing(state.serving())
        .setRegistryHealth(RegistryHealth.valueOf("REGISTRY_HEALTH_" + state.registryHealth().name()))
        .setCheckHealth(CheckHealth.valueOf("CHECK_HEALTH_" + state.checkHealth().name()))
        .setEjected(state.ejectedUntil() != null && state.ejectedUntil().isAfter(now))
        .setDrained(state.drain() != null)
        .build();
  }

  static dev.sluice.admin.v1.Override override(OverrideInfo info, @Nullable String auditEntryId) {
    dev.sluice.admin.v1.Override.Builder override = dev.sluice.admin.v1.Override.newBuilder()
        .setSetBy(info.setBy())
        .setReason(info.reason())
        .setIncidentId(orEmpty(info.incidentId()))
        .setSetAt(AdminProtoMapper.timestamp(info.setAt()))
        .setAuditEntryId(orEmpty(auditEntryId));
    if (info.expiresAt() != null) {
      override.setExpiresAt(AdminProtoMapper.timestamp(info.expiresAt()));
    }
    return override.build();
  }

  static RateLimit rateLimit(Change.RateLimit limit) {
    return RateLimit.newBuilder()
        .setRequestsPerSecond(limit.requestsPerSecond())
        .setBurst(limit.burst())
        .setKey(switch (limit.key()) {
          case ROUTE -> RateLimitKey.RATE_LIMIT_KEY_ROUTE;
          case CLIENT_IP -> RateLimitKey.RATE_LIMIT_KEY_CLIENT_IP;
          case HEADER -> RateLimitKey.RATE_LIMIT_KEY_HEADER;
          case JWT_CLAIM -> RateLimitKey.RATE_LIMIT_KEY_JWT_CLAIM;
        })
        .setKeyName(orEmpty(limit.keyName()))
        .build();
  }

  private static HeaderRewrite headers(dev.sluice.agent.config.HeaderRewrite rewrite) {
    return HeaderRewrite.newBuilder().putAllSet(rewrite.set()).putAllAdd(rewrite.add())
        .addAllRemove(rewrite.remove()).build();
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }
}
