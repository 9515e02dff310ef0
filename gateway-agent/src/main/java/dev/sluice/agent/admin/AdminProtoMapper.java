package dev.sluice.agent.admin;

import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.AuthMethod;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.ChangeSource;
import dev.sluice.admin.v1.ConfigChanged;
import dev.sluice.admin.v1.DrainChanged;
import dev.sluice.admin.v1.ErrorCounts;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventsGap;
import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.HealthChanged;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.LatencyHistogram;
import dev.sluice.admin.v1.OverrideExpired;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.RegistryStale;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Scope;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.StatusClassCounts;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.auth.Principal;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventGap;
import dev.sluice.agent.admin.events.SequencedEvent;
import dev.sluice.agent.admin.state.OverrideInfo;
import dev.sluice.agent.telemetry.FrameBody;
import dev.sluice.agent.telemetry.LatencyBuckets;
import dev.sluice.agent.telemetry.LatencyDistribution;
import dev.sluice.agent.telemetry.RouteFrame;
import dev.sluice.agent.telemetry.RouteTraffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates the admin domain types (events, audit entries, telemetry frames and history) to the
 * {@code sluice.admin.v1} messages and back. The only place outside the gRPC services that knows
 * the generated classes.
 */
public final class AdminProtoMapper {

  private static final List<Long> BOUNDS = boundsList();

  private AdminProtoMapper() {}

  // --- time ---

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano()).build();
  }

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /**
   * A {@code filters:} entry as a {@link FilterSpec}: {@code name} apart, the other keys as a Struct. Give
   * it the redacted form ({@code FilterSecrets.redact}) whenever a viewer will see it.
   */
  static FilterSpec filterSpec(Map<String, ?> spec) {
    FilterSpec.Builder out = FilterSpec.newBuilder().setName(String.valueOf(spec.get("name")));
    Struct.Builder settings = Struct.newBuilder();
    for (Map.Entry<String, ?> e : spec.entrySet()) {
      if (!e.getKey().equals("name")) {
        settings.putFields(e.getKey(), value(e.getValue()));
      }
    }
    return out.setSettings(settings).build();
  }

  /**
   * A {@link FilterSpec} as a {@code filters:} entry, {@code name} first. Struct numbers are doubles; whole
   * ones become longs so settings such as {@code maxBytes} or {@code minLength} read as in YAML.
   */
  static Map<String, Object> filterMap(FilterSpec spec) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", spec.getName());
    for (Map.Entry<String, Value> e : spec.getSettings().getFieldsMap().entrySet()) {
      out.put(e.getKey(), plain(e.getValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Value value(@Nullable Object value) {
    Value.Builder out = Value.newBuilder();
    if (value == null) {
      return out.setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof Boolean b) {
      return out.setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      return out.setNumberValue(n.doubleValue()).build();
    }
    if (value instanceof Map<?, ?> map) {
      Struct.Builder struct = Struct.newBuilder();
      ((Map<String, ?>) map).forEach((k, v) -> struct.putFields(k, value(v)));
      return out.setStructValue(struct).build();
    }
    if (value instanceof List<?> list) {
      ListValue.Builder items = ListValue.newBuilder();
      list.forEach(item -> items.addValues(value(item)));
      return out.setListValue(items).build();
    }
    return out.setStringValue(value.toString()).build();
  }

  private static @Nullable Object plain(Value value) {
    return switch (value.getKindCase()) {
      case BOOL_VALUE -> value.getBoolValue();
      case NUMBER_VALUE -> {
        double d = value.getNumberValue();
        yield d == Math.rint(d) && Math.abs(d) < 0x1p53 ? (Object) (long) d : (Object) d;
      }
      case STRING_VALUE -> value.getStringValue();
      case STRUCT_VALUE -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        value.getStructValue().getFieldsMap().forEach((k, v) -> map.put(k, plain(v)));
        yield map;
      }
      case LIST_VALUE -> {
        List<@Nullable Object> list = new ArrayList<>();
        value.getListValue().getValuesList().forEach(v -> list.add(plain(v)));
        yield list;
      }
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }

  public static Duration duration(java.time.Duration duration) {
    return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano())
        .build();
  }

  public static java.time.Duration duration(Duration duration) {
    return java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
  }

  // --- events ---

  public static Event event(SequencedEvent stored) {
    Event.Builder event = Event.newBuilder()
        .setSequence(stored.sequence())
        .setTime(timestamp(stored.time()))
        .setKind(kind(stored.kind()))
        .setSummary(stored.event().summary());
    AgentEvent domain = stored.event();
    if (domain instanceof AgentEvent.ConfigChanged c) {
      event.setConfigChanged(ConfigChanged.newBuilder()
          .setPreviousVersion(c.previousVersion()).setVersion(c.version())
          .setSource(ChangeSource.valueOf("CHANGE_SOURCE_" + c.source().name()))
          .addAllRoutes(c.routes()).addAllServices(c.services())
          .setAuditEntryId(orEmpty(c.auditEntryId())));
    } else if (domain instanceof AgentEvent.BreakerTransition b) {
      event.setBreakerTransition(dev.sluice.admin.v1.BreakerTransition.newBuilder()
          .setService(b.service())
          .setFrom(BreakerState.valueOf("BREAKER_STATE_" + b.from().name()))
          .setTo(BreakerState.valueOf("BREAKER_STATE_" + b.to().name()))
          .setOverride(BreakerOverride.valueOf("BREAKER_OVERRIDE_" + b.override().name()))
          .setCause(b.cause()));
    } else if (domain instanceof AgentEvent.HealthChanged h) {
      event.setHealthChanged(HealthChanged.newBuilder().setService(h.service())
          .setInstanceId(h.instanceId()).setServing(h.serving()).setReason(h.reason()));
    } else if (domain instanceof AgentEvent.DrainChanged d) {
      DrainChanged.Builder drain = DrainChanged.newBuilder().setService(d.service())
          .setInstanceId(d.instanceId()).setDrained(d.drained());
      if (d.drain() != null) {
        drain.setDrain(override(d.drain()));
      }
      event.setDrainChanged(drain);
    } else if (domain instanceof AgentEvent.AuditAppended a) {
      event.setAudit(auditEntry(a.entry()));
    } else if (domain instanceof AgentEvent.OverrideExpired o) {
      event.setOverrideExpired(OverrideExpired.newBuilder().setOverrideKind(o.overrideKind())
          .setTarget(o.target()).setExpired(override(o.expired()))
          .setAuditEntryId(orEmpty(o.auditEntryId())));
    } else if (domain instanceof AgentEvent.RegistryStale r) {
      event.setRegistryStale(RegistryStale.newBuilder().setService(r.service())
          .setStale(r.stale()).setError(r.error()));
    }
    return event.build();
  }

  /** The event a watcher gets first when the sequence it asked for is gone; its sequence is 0. */
  public static Event gap(EventGap gap, Instant now) {
    return Event.newBuilder()
        .setTime(timestamp(now))
        .setKind(EventKind.EVENT_KIND_GAP)
        .setSummary("events " + gap.requestedSequence() + " to "
            + (gap.oldestAvailableSequence() - 1) + " are no longer held; resuming at "
            + gap.oldestAvailableSequence())
        .setGap(EventsGap.newBuilder().setRequestedSequence(gap.requestedSequence())
            .setOldestAvailableSequence(gap.oldestAvailableSequence()))
        .build();
  }

  public static EventKind kind(dev.sluice.agent.admin.events.EventKind kind) {
    return switch (kind) {
      case CONFIG_CHANGED -> EventKind.EVENT_KIND_CONFIG_CHANGED;
      case BREAKER_TRANSITION -> EventKind.EVENT_KIND_BREAKER_TRANSITION;
      case HEALTH_CHANGED -> EventKind.EVENT_KIND_HEALTH_CHANGED;
      case DRAIN_CHANGED -> EventKind.EVENT_KIND_DRAIN_CHANGED;
      case AUDIT -> EventKind.EVENT_KIND_AUDIT;
      case OVERRIDE_EXPIRED -> EventKind.EVENT_KIND_OVERRIDE_EXPIRED;
      case REGISTRY_STALE -> EventKind.EVENT_KIND_REGISTRY_STALE;
    };
  }

  /**
   * The domain kinds asked for; GAP and UNSPECIFIED select nothing (gaps are always sent), and an
   * empty list means every kind.
   */
  public static Set<dev.sluice.agent.admin.events.EventKind> kinds(List<EventKind> kinds) {
    Set<dev.sluice.agent.admin.events.EventKind> domain =
        EnumSet.noneOf(dev.sluice.agent.admin.events.EventKind.class);
    for (EventKind kind : kinds) {
      for (dev.sluice.agent.admin.events.EventKind candidate
          : dev.sluice.agent.admin.events.EventKind.values()) {
        if (kind(candidate) == kind) {
          domain.add(candidate);
        }
      }
    }
    return domain;
  }

  // --- audit ---

  public static dev.sluice.admin.v1.AuditEntry auditEntry(AuditEntry e) {
    return dev.sluice.admin.v1.AuditEntry.newBuilder()
        .setId(e.id())
        .setTime(timestamp(e.time()))
        .setPrincipal(e.principal())
        .setRole(e.role() == null ? Role.ROLE_UNSPECIFIED : role(e.role()))
        .setRpc(e.rpc())
        .setTarget(e.target())
        .setReason(e.reason())
        .setIncidentId(orEmpty(e.incidentId()))
        .setBeforeJson(orEmpty(e.beforeJson()))
        .setAfterJson(orEmpty(e.afterJson()))
        .setResultingVersion(e.resultingVersion())
        .setExpectedVersion(e.expectedVersion())
        .setOutcome(AuditOutcome.valueOf("AUDIT_OUTCOME_" + e.outcome().name()))
        .setMessage(e.message())
        .setRevertsEntryId(orEmpty(e.revertsEntryId()))
        .setBelowFloor(e.belowFloor())
        .build();
  }

  public static Role role(dev.sluice.agent.admin.auth.Role role) {
    return switch (role) {
      case VIEWER -> Role.ROLE_VIEWER;
      case OPERATOR -> Role.ROLE_OPERATOR;
    };
  }

  /** The caller's session as GetSession answers it. */
  public static Session session(Principal principal) {
    return Session.newBuilder()
        .setPrincipal(principal.name())
        .setRole(role(principal.role()))
        .setScope(Scope.newBuilder().addAllServices(principal.scope().services())
            .addAllRoutePrefixes(principal.scope().routePrefixes()))
        .addAllPermissions(principal.permissions().stream().sorted().toList())
        .setAuthMethod(principal.method() == Principal.AuthMethod.BEARER_TOKEN
            ? AuthMethod.AUTH_METHOD_BEARER_TOKEN : AuthMethod.AUTH_METHOD_CLIENT_CERTIFICATE)
        .build();
  }

  public static dev.sluice.admin.v1.Override override(OverrideInfo info) {
    dev.sluice.admin.v1.Override.Builder override = dev.sluice.admin.v1.Override.newBuilder()
        .setSetBy(info.setBy())
        .setReason(info.reason())
        .setIncidentId(orEmpty(info.incidentId()))
        .setSetAt(timestamp(info.setAt()))
        .setAuditEntryId(orEmpty(info.auditEntryId()));
    if (info.expiresAt() != null) {
      override.setExpiresAt(timestamp(info.expiresAt()));
    }
    return override.build();
  }

  // --- telemetry ---

  /**
   * A frame's body for the wire, still open: the config version, breakers and instances are the
   * control plane's to add (see {@link FrameExtras}); sequence and coalesced_frames are left at 0
   * because each stream adds its own (see {@code EncodedFrame}).
   */
  public static TelemetryFrame.Builder frame(FrameBody frame, boolean omitHistograms) {
    TelemetryFrame.Builder proto = TelemetryFrame.newBuilder()
        .setTime(timestamp(frame.end()))
        .setInterval(duration(frame.interval()))
        .addAllLatencyBoundsMicros(BOUNDS);
    for (RouteFrame route : frame.routes()) {
      RouteTraffic traffic = route.traffic();
      RouteTelemetry.Builder telemetry = RouteTelemetry.newBuilder()
          .setRouteId(route.routeId())
          .setRequests(traffic.requests())
          .setStatuses(statuses(traffic.statuses()))
          .setErrors(errors(traffic.errors()))
          .setRateLimited(traffic.rateLimited())
          .setInFlight(route.inFlight())
          .setLatency(percentiles(traffic.latency()));
      if (!omitHistograms) {
        telemetry.setHistogram(histogram(traffic.latency().bucketCounts()));
      }
      proto.addRoutes(telemetry);
    }
    return proto;
  }

  /**
   * History as a lazy sequence of chunks, each closed once it holds {@code pointsPerChunk} points
   * or more (a route is never split), the last one marked. History points carry no histogram: the
   * agent does not keep buckets over hours (see HistoryRing).
   */
  public static Iterator<TelemetryHistoryChunk> historyChunks(
      Iterator<dev.sluice.agent.telemetry.RouteHistory> history, java.time.Duration resolution,
      int pointsPerChunk) {
    return new Iterator<>() {
      private boolean sentLast;

      @Override
      public boolean hasNext() {
        return !sentLast;
      }

      @Override
      public TelemetryHistoryChunk next() {
        if (sentLast) {
          throw new NoSuchElementException();
        }
        TelemetryHistoryChunk.Builder chunk = newChunk(resolution);
        int points = 0;
        while (points < pointsPerChunk && history.hasNext()) {
          RouteHistory route = routeHistory(history.next());
          chunk.addRoutes(route);
          points += route.getPointsCount();
        }
        sentLast = !history.hasNext();
        return chunk.setLast(sentLast).build();
      }
    };
  }

  private static RouteHistory routeHistory(dev.sluice.agent.telemetry.RouteHistory route) {
    RouteHistory.Builder proto = RouteHistory.newBuilder().setRouteId(route.routeId());
    for (dev.sluice.agent.telemetry.HistoryPoint p : route.points()) {
      proto.addPoints(HistoryPoint.newBuilder()
          .setStart(timestamp(p.start()))
          .setRequests(p.requests())
          .setStatuses(statuses(p.statuses()))
          .setErrors(errors(p.errors()))
          .setRateLimited(p.rateLimited())
          .setLatency(Percentiles.newBuilder().setP50Micros(p.p50Micros())
              .setP90Micros(p.p90Micros()).setP99Micros(p.p99Micros())
              .setMaxMicros(p.maxMicros())));
    }
    return proto.build();
  }

  private static TelemetryHistoryChunk.Builder newChunk(java.time.Duration resolution) {
    return TelemetryHistoryChunk.newBuilder().setResolution(duration(resolution))
        .addAllLatencyBoundsMicros(BOUNDS);
  }

  private static Percentiles percentiles(LatencyDistribution latency) {
    return Percentiles.newBuilder()
        .setP50Micros(latency.valueAtPercentile(50))
        .setP90Micros(latency.valueAtPercentile(90))
        .setP99Micros(latency.valueAtPercentile(99))
        .setP999Micros(latency.valueAtPercentile(99.9))
        .setMaxMicros(latency.max())
        .build();
  }

  private static LatencyHistogram histogram(long[] buckets) {
    LatencyHistogram.Builder histogram = LatencyHistogram.newBuilder();
    for (long count : buckets) {
      histogram.addCounts(count);
    }
    return histogram.build();
  }

  private static StatusClassCounts statuses(RouteTraffic.StatusCounts s) {
    return StatusClassCounts.newBuilder().setInformational(s.informational())
        .setSuccess(s.success()).setRedirection(s.redirection()).setClientError(s.clientError())
        .setServerError(s.serverError()).build();
  }

  private static ErrorCounts errors(RouteTraffic.ErrorCounts e) {
    return ErrorCounts.newBuilder().setUpstreamConnectFailures(e.upstreamConnect())
        .setUpstreamTimeouts(e.upstreamTimeout()).setUpstreamProtocolErrors(e.upstreamProtocol())
        .setBreakerRejections(e.breakerRejected()).setNoInstance(e.noInstance())
        .setRejected(e.rejected()).build();
  }

  private static List<Long> boundsList() {
    List<Long> bounds = new ArrayList<>();
    for (long bound : LatencyBuckets.boundsMicros()) {
      bounds.add(bound);
    }
    return List.copyOf(bounds);
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }
}
