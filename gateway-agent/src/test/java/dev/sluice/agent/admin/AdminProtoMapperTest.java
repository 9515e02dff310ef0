package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.SequencedEvent;
import dev.sluice.agent.admin.state.OverrideInfo;
import dev.sluice.agent.telemetry.HistoryPoint;
import dev.sluice.agent.telemetry.RouteHistory;
import dev.sluice.agent.telemetry.RouteTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminProtoMapperTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void aFilterSurvivesTheStructRoundTripWithWholeNumbersStillWhole() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", "request-validation");
    spec.put("query", Map.of("page", Map.of("type", "integer", "required", true, "minLength", 1L, "max", 2.5,
        "enum", List.of("1", "2"))));

    dev.sluice.admin.v1.FilterSpec proto = AdminProtoMapper.filterSpec(spec);

    assertThat(proto.getName()).isEqualTo("request-validation");
    assertThat(proto.getSettings().containsFields("name")).isFalse();
    assertThat(AdminProtoMapper.filterMap(proto)).isEqualTo(spec);
  }

  @Test
  void everyEventVariantMapsToItsKindAndDetail() {
    OverrideInfo drain = new OverrideInfo("alice", "deploy rollback", "INC-1", T0,
        T0.plusSeconds(1_800), "a-000007");
    List<AgentEvent> domain = List.of(
        new AgentEvent.ConfigChanged(3, 4, AgentEvent.ChangeSource.ADMIN, List.of("users-get"),
            List.of(), "a-000007"),
        new AgentEvent.BreakerTransition("users", AgentEvent.BreakerPhase.CLOSED,
            AgentEvent.BreakerPhase.OPEN, AgentEvent.BreakerOverrideMode.NONE,
            "failure rate 62% ≥ 50%"),
        new AgentEvent.HealthChanged("users", "users-2", false, "health check failing: 503"),
        new AgentEvent.DrainChanged("users", "users-2", true, drain),
        new AgentEvent.OverrideExpired("drain", "users/users-2", drain, "a-000009"),
        new AgentEvent.RegistryStale("users", true, "connection refused"));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < domain.size(); i++) {
      events.add(AdminProtoMapper.event(new SequencedEvent(i + 1, T0, domain.get(i))));
    }
    assertThat(events).extracting(Event::getKind).containsExactly(
        EventKind.EVENT_KIND_CONFIG_CHANGED, EventKind.EVENT_KIND_BREAKER_TRANSITION,
        EventKind.EVENT_KIND_HEALTH_CHANGED, EventKind.EVENT_KIND_DRAIN_CHANGED,
        EventKind.EVENT_KIND_OVERRIDE_EXPIRED, EventKind.EVENT_KIND_REGISTRY_STALE);
    assertThat(events).extracting(e -> e.getDetailCase().getNumber())
        .containsExactly(10, 11, 12, 13, 15, 16);
    assertThat(events.get(1).getSummary()).isEqualTo("breaker users closed → open: failure rate 62% ≥ 50%");
    assertThat(events.get(3).getDrainChanged().getDrain().getExpiresAt().getSeconds())
        .isEqualTo(T0.plusSeconds(1_800).getEpochSecond());
    assertThat(events.get(4).getSummary())
        .isEqualTo("drain of users/users-2 expired after 30m, set by alice: deploy rollback");
  }

  @Test
  void kindFilterIgnoresGapAndUnspecified() {
    assertThat(AdminProtoMapper.kinds(List.of(EventKind.EVENT_KIND_AUDIT, EventKind.EVENT_KIND_GAP,
        EventKind.EVENT_KIND_UNSPECIFIED)))
        .isEqualTo(Set.of(dev.sluice.agent.admin.events.EventKind.AUDIT));
  }

  @Test
  void historyChunksCloseAtThePointBudgetWithoutSplittingARoute() {
    List<RouteHistory> routes = List.of(route("a", 15_000), route("b", 15_000), route("c", 15_000));
    List<TelemetryHistoryChunk> chunks = new ArrayList<>();
    AdminProtoMapper.historyChunks(routes.iterator(), Duration.ofSeconds(10), 20_000)
        .forEachRemaining(chunks::add);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).getRoutesList()).extracting(r -> r.getRouteId())
        .containsExactly("a", "b");
    assertThat(chunks.get(0).getLast()).isFalse();
    assertThat(chunks.get(1).getRoutesList()).extracting(r -> r.getRouteId()).containsExactly("c");
    assertThat(chunks.get(1).getLast()).isTrue();
    assertThat(chunks.get(1).getLatencyBoundsMicrosCount()).isEqualTo(30);
  }

  @Test
  void emptyHistoryIsOneEmptyLastChunk() {
    List<TelemetryHistoryChunk> chunks = new ArrayList<>();
    AdminProtoMapper.historyChunks(List.<RouteHistory>of().iterator(), Duration.ofSeconds(10), 10)
        .forEachRemaining(chunks::add);
    assertThat(chunks).singleElement().satisfies(c -> {
      assertThat(c.getLast()).isTrue();
      assertThat(c.getRoutesCount()).isZero();
    });
  }

  @Test
  void sessionCarriesRoleScopeAndPermissions() {
    dev.sluice.agent.admin.auth.Principal otto = new dev.sluice.agent.admin.auth.Principal("otto",
        dev.sluice.agent.admin.auth.Role.OPERATOR,
        new dev.sluice.agent.admin.auth.Scope(List.of("payments"), List.of("/pay")),
        Set.of("permanent-override"), dev.sluice.agent.admin.auth.Principal.AuthMethod.BEARER_TOKEN);
    dev.sluice.admin.v1.Session session = AdminProtoMapper.session(otto);
    assertThat(session.getRole()).isEqualTo(dev.sluice.admin.v1.Role.ROLE_OPERATOR);
    assertThat(session.getScope().getServicesList()).containsExactly("payments");
    assertThat(session.getScope().getRoutePrefixesList()).containsExactly("/pay");
    assertThat(session.getPermissionsList()).containsExactly("permanent-override");
    assertThat(session.getAuthMethod())
        .isEqualTo(dev.sluice.admin.v1.AuthMethod.AUTH_METHOD_BEARER_TOKEN);
  }

  private static RouteHistory route(String id, int points) {
    List<HistoryPoint> list = new ArrayList<>();
    for (int i = 0; i < points; i++) {
      list.add(new HistoryPoint(T0.plusSeconds(10L * i), 1, RouteTraffic.StatusCounts.NONE,
          RouteTraffic.ErrorCounts.NONE, 0, 1, 1, 1, 1));
    }
    return new RouteHistory(id, "/" + id, list);
  }
}
