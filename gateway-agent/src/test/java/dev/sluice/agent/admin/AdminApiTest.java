package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.FloorViolation;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.PlanRevertRequest;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.RevertAuditEntryRequest;
import dev.sluice.admin.v1.RevertPlan;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.admin.v1.VersionConflict;
import dev.sluice.admin.v1.WatchEventsRequest;
import dev.sluice.agent.testing.TestBackend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API against a real agent: roles, scopes, TTL rules, versions, audit, expiry, revert, restart. */
class AdminApiTest {

  @TempDir
  Path dir;

  private TestBackend users1;
  private TestBackend users2;
  private TestBackend payments;
  private AdminTestAgent agent;

  @BeforeEach
  void start() throws Exception {
    users1 = TestBackend.start("users-1");
    users2 = TestBackend.start("users-2");
    payments = TestBackend.start("payments");
    agent = AdminTestAgent.start(dir, """
        agent: {id: edge-7, cluster: eu}
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        services:
          - name: users
            minHealthyPercent: 60
            instances: [{id: u1, host: 127.0.0.1, port: %d}, {id: u2, host: 127.0.0.1, port: %d}]
          - name: payments
            instances: [{host: 127.0.0.1, port: %d}]
        routes:
          - {id: users, match: {path: /users}, service: users}
          - {id: pay, match: {path: /pay}, service: payments}
        """.formatted(users1.port(), users2.port(), payments.port()) + AdminTestAgent.adminBlock());
  }

  @AfterEach
  void stop() throws Exception {
    agent.close();
    users1.close();
    users2.close();
    payments.close();
  }

  private ControlServiceGrpc.ControlServiceBlockingStub control(String token) {
    return agent.as(token, ControlServiceGrpc.newBlockingStub(agent.channel()));
  }

  private AgentServiceGrpc.AgentServiceBlockingStub agentService(String token) {
    return agent.as(token, AgentServiceGrpc.newBlockingStub(agent.channel()));
  }

  private AuditServiceGrpc.AuditServiceBlockingStub audit() {
    return agent.as(AdminTestAgent.VIEWER, AuditServiceGrpc.newBlockingStub(agent.channel()));
  }

  private Snapshot snapshot() {
    return agentService(AdminTestAgent.VIEWER).getSnapshot(GetSnapshotRequest.getDefaultInstance());
  }

  private long version() {
    return snapshot().getConfigVersion();
  }

  private static ChangeContext context(long version, String reason) {
    return ChangeContext.newBuilder().setExpectedVersion(version).setReason(reason).build();
  }

  private static Duration seconds(long seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }

  private Breaker breaker(String service) {
    return snapshot().getBreakersList().stream().filter(b -> b.getService().equals(service)).findFirst().orElseThrow();
  }

  private AuditEntry newestAudit() {
    return audit().listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(1).build()).getEntries(0);
  }

  private static <T extends Message> T detail(StatusRuntimeException e, Class<T> type)
      throws InvalidProtocolBufferException {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(type)) {
        return any.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " detail in " + e);
  }

  private static StatusRuntimeException refused(Callable<?> call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::call);
  }

  @Test
  void reportsTheAgentAndTheCallersSession() {
    AgentInfo info = agentService(AdminTestAgent.VIEWER).getAgentInfo(GetAgentInfoRequest.getDefaultInstance());
    Session session = agentService(AdminTestAgent.PAYMENTS_OPERATOR).getSession(GetSessionRequest.getDefaultInstance());

    assertThat(info.getAgentId()).isEqualTo("edge-7");
    assertThat(info.getCluster()).isEqualTo("eu");
    assertThat(info.getConfigPath()).isEqualTo(agent.file().toAbsolutePath().toString());
    assertThat(info.getFeaturesList()).contains("ttl-overrides", "revert");
    assertThat(info.getMaxOverrideTtl().getSeconds()).isEqualTo(24 * 3600);
    assertThat(info.getListenersList())
        .extracting(l -> l.getName() + " " + l.getProtocol() + " " + l.getAddress() + " tls=" + l.getTls())
        .contains("public LISTENER_PROTOCOL_HTTP 127.0.0.1:" + agent.proxyPort() + " tls=false",
            "admin LISTENER_PROTOCOL_ADMIN_GRPC 127.0.0.1:" + agent.adminPort() + " tls=false");
    assertThat(session.getPrincipal()).isEqualTo("paula");
    assertThat(session.getRole()).isEqualTo(Role.ROLE_OPERATOR);
    assertThat(session.getScope().getServicesList()).containsExactly("payments");
    assertThat(session.getScope().getRoutePrefixesList()).containsExactly("/pay");
  }

  @Test
  void aTripShowsTheOverrideBesideTheComputedStateAndIsAudited() {
    long before = version();

    ChangeResult result = control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(before, "users 5xx storm")).setService("users").setTtl(seconds(1800)).build());

    assertThat(result.getVersion()).isGreaterThan(before);
    assertThat(result.hasExpiresAt()).isTrue();
    Breaker users = breaker("users");
    assertThat(users.getComputedState()).isEqualTo(BreakerState.BREAKER_STATE_CLOSED);
    assertThat(users.getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
    assertThat(users.getOverrideInfo().getSetBy()).isEqualTo("olivia");
    assertThat(users.getOverrideInfo().getReason()).isEqualTo("users 5xx storm");
    assertThat(users.getOverrideInfo().getExpiresAt()).isEqualTo(result.getExpiresAt());
    assertThat(users.getOverrideInfo().getAuditEntryId()).isEqualTo(result.getAuditEntryId());
    assertThat(users.getRouteIdsList()).containsExactly("users");
    AuditEntry entry = audit().getAuditEntry(dev.sluice.admin.v1.GetAuditEntryRequest.newBuilder()
        .setId(result.getAuditEntryId()).build());
    assertThat(entry.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_APPLIED);
    assertThat(entry.getTarget()).isEqualTo("breaker:users");
    assertThat(entry.getResultingVersion()).isEqualTo(result.getVersion());
    assertThat(entry.getExpectedVersion()).isEqualTo(before);
    assertThat(entry.getBeforeJson()).contains("\"override\":\"NONE\"");
    assertThat(entry.getAfterJson()).contains("\"override\":\"FORCED_OPEN\"");
  }

  @Test
  void aViewerCannotMutateAndTheAttemptIsAudited() {
    StatusRuntimeException e = refused(() -> control(AdminTestAgent.VIEWER).tripBreaker(TripBreakerRequest
        .newBuilder().setContext(context(version(), "try")).setService("users").setTtl(seconds(60)).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).contains("operator");
    assertThat(breaker("users").getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE);
    AuditEntry entry = newestAudit();
    assertThat(entry.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_DENIED);
    assertThat(entry.getPrincipal()).isEqualTo("vera");
  }

  @Test
  void noTokenOrAWrongTokenIsUnauthenticated() {
    StatusRuntimeException none = refused(() -> AgentServiceGrpc.newBlockingStub(agent.channel())
        .getSnapshot(GetSnapshotRequest.getDefaultInstance()));
    StatusRuntimeException wrong = refused(() -> agentService("not-a-token")
        .getSnapshot(GetSnapshotRequest.getDefaultInstance()));

    assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aScopedOperatorIsRefusedOutsideItsScopeAndAudited() {
    long before = version();

    StatusRuntimeException e = refused(() -> control(AdminTestAgent.PAYMENTS_OPERATOR).tripBreaker(
        TripBreakerRequest.newBuilder().setContext(context(before, "wrong service")).setService("users")
            .setTtl(seconds(60)).build()));
    ChangeResult inScope = control(AdminTestAgent.PAYMENTS_OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(before, "payments down")).setService("payments").setTtl(seconds(60)).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).contains("payments").contains("users");
    assertThat(inScope.getVersion()).isEqualTo(before + 1);
    List<AuditEntry> entries = audit().listAuditEntries(ListAuditEntriesRequest.newBuilder()
        .setPrincipal("paula").build()).getEntriesList();
    assertThat(entries).extracting(AuditEntry::getOutcome)
        .containsExactly(AuditOutcome.AUDIT_OUTCOME_APPLIED, AuditOutcome.AUDIT_OUTCOME_DENIED);
    assertThat(entries.get(1).getTarget()).isEqualTo("breaker:users");
  }

  @Test
  void anOverrideWithoutTtlNeedsThePermanentOverridePermission() {
    StatusRuntimeException e = refused(() -> control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest
        .newBuilder().setContext(context(version(), "forever")).setService("users").build()));
    ChangeResult permanent = control(AdminTestAgent.ROOT).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(version(), "forever")).setService("users").build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).contains("permanent-override");
    assertThat(permanent.hasExpiresAt()).isFalse();
    assertThat(breaker("users").getOverrideInfo().hasExpiresAt()).isFalse();
  }

  @Test
  void aTtlAboveTheMaximumIsInvalid() throws Exception {
    long before = version();

    StatusRuntimeException e = refused(() -> control(AdminTestAgent.ROOT).tripBreaker(TripBreakerRequest
        .newBuilder().setContext(context(before, "long")).setService("users").setTtl(seconds(25 * 3600)).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(detail(e, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("ttl");
    assertThat(version()).isEqualTo(before);
    assertThat(newestAudit().getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_REFUSED);
  }

  @Test
  void anInvalidRouteNamesEveryBadFieldAndChangesNothing() throws Exception {
    long before = version();
    Snapshot was = snapshot();

    StatusRuntimeException e = refused(() -> control(AdminTestAgent.OPERATOR).upsertRoute(UpsertRouteRequest
        .newBuilder().setContext(context(before, ""))
        .setRoute(Route.newBuilder().setId("broken").setMatch(RouteMatch.newBuilder().setPath("no-slash"))
            .setService("users"))
        .build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(detail(e, BadRequest.class).getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
        .containsExactlyInAnyOrder("context.reason", "route.match.path");
    assertThat(snapshot().getRoutesList()).isEqualTo(was.getRoutesList());
    assertThat(newestAudit().getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_INVALID);
  }

  @Test
  void aStaleVersionIsAConflictNamingTheCurrentVersion() throws Exception {
    long before = version();
    control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(before, "first")).setService("users").setTtl(seconds(60)).build());

    StatusRuntimeException e = refused(() -> control(AdminTestAgent.OPERATOR).resetBreaker(ResetBreakerRequest
        .newBuilder().setContext(context(before, "second")).setService("users").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains(String.valueOf(before + 1));
    assertThat(detail(e, VersionConflict.class).getCurrentVersion()).isEqualTo(before + 1);
    assertThat(breaker("users").getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
    assertThat(newestAudit().getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_CONFLICT);
  }

  @Test
  void ofTwoConcurrentChangesOnTheSameVersionExactlyOneWins() throws Exception {
    long before = version();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<ChangeResult>> calls = new ArrayList<>();
      for (String service : List.of("users", "payments")) {
        calls.add(pool.submit(() -> {
          go.await();
          return control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
              .setContext(context(before, "race")).setService(service).setTtl(seconds(60)).build());
        }));
      }
      go.countDown();
      int won = 0;
      int conflicts = 0;
      for (Future<ChangeResult> call : calls) {
        try {
          call.get(20, TimeUnit.SECONDS);
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
              .isEqualTo(Status.Code.FAILED_PRECONDITION);
          conflicts++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(conflicts).isEqualTo(1);
      assertThat(version()).isEqualTo(before + 1);
      assertThat(snapshot().getBreakersList()).filteredOn(b -> b.getOverride()
          == BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void validateRunsEveryCheckAndAppliesNothing() {
    long before = version();

    ValidateChangeResponse ok = control(AdminTestAgent.OPERATOR).validateChange(ValidateChangeRequest.newBuilder()
        .setTripBreaker(TripBreakerRequest.newBuilder().setContext(context(before, "what if"))
            .setService("users").setTtl(seconds(60))).build());
    ValidateChangeResponse stale = control(AdminTestAgent.OPERATOR).validateChange(ValidateChangeRequest.newBuilder()
        .setTripBreaker(TripBreakerRequest.newBuilder().setContext(context(before + 5, "what if"))
            .setService("users").setTtl(seconds(60))).build());

    assertThat(ok.getValid()).isTrue();
    assertThat(stale.getValid()).isFalse();
    assertThat(stale.getConflict().getCurrentVersion()).isEqualTo(before);
    assertThat(version()).isEqualTo(before);
    assertThat(breaker("users").getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE);
    assertThat(audit().listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(2).build())
        .getEntriesList()).extracting(AuditEntry::getOutcome)
        .containsExactly(AuditOutcome.AUDIT_OUTCOME_CONFLICT, AuditOutcome.AUDIT_OUTCOME_VALIDATED);
  }

  @Test
  void aTripWithATwoSecondTtlEndsByItselfAndIsAuditedAndEvented() {
    ChangeResult trip = control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(version(), "short")).setService("users").setTtl(seconds(2)).build());

    await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(breaker("users").getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE));
    await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
      AuditEntry expiry = newestAudit();
      assertThat(expiry.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_EXPIRED);
      assertThat(expiry.getPrincipal()).isEqualTo("sluice-agent");
      assertThat(expiry.getTarget()).isEqualTo("breaker:users");
      assertThat(expiry.getMessage()).contains("olivia").contains("short");
    });
    List<Event> expired = agent.as(AdminTestAgent.VIEWER, EventServiceGrpc.newBlockingStub(agent.channel()))
        .listEvents(ListEventsRequest.newBuilder().addKinds(EventKind.EVENT_KIND_OVERRIDE_EXPIRED).build())
        .getEventsList();
    assertThat(expired).singleElement().satisfies(event -> {
      assertThat(event.getOverrideExpired().getTarget()).isEqualTo("users");
      assertThat(event.getOverrideExpired().getExpired().getSetBy()).isEqualTo("olivia");
      assertThat(event.getOverrideExpired().getExpired().getAuditEntryId()).isEqualTo(trip.getAuditEntryId());
      assertThat(event.getOverrideExpired().getAuditEntryId()).startsWith("a-");
    });
  }

  @Test
  void revertRestoresTheBeforeStateAsANewVersionAndAsksBeforeUndoingLaterChanges() {
    ControlServiceGrpc.ControlServiceBlockingStub op = control(AdminTestAgent.OPERATOR);
    ChangeResult limit = op.setRateLimit(SetRateLimitRequest.newBuilder().setContext(context(version(), "cap"))
        .setRouteId("users").setLimit(RateLimit.newBuilder().setRequestsPerSecond(5).setBurst(10)).build());
    ChangeResult later = op.setRateLimit(SetRateLimitRequest.newBuilder().setContext(context(version(), "tighter"))
        .setRouteId("users").setLimit(RateLimit.newBuilder().setRequestsPerSecond(2).setBurst(4)).build());

    RevertPlan plan = audit().planRevert(PlanRevertRequest.newBuilder().setEntryId(limit.getAuditEntryId()).build());
    StatusRuntimeException asked = refused(() -> op.revertAuditEntry(RevertAuditEntryRequest.newBuilder()
        .setContext(context(version(), "undo cap")).setEntryId(limit.getAuditEntryId()).build()));
    long before = version();
    ChangeResult reverted = op.revertAuditEntry(RevertAuditEntryRequest.newBuilder()
        .setContext(context(before, "undo cap")).setEntryId(limit.getAuditEntryId()).setUndoLaterChanges(true).build());

    assertThat(plan.getRevertible()).isTrue();
    assertThat(plan.getLaterChangesList()).extracting(AuditEntry::getId).containsExactly(later.getAuditEntryId());
    assertThat(asked.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(asked.getStatus().getDescription()).contains(later.getAuditEntryId());
    assertThat(reverted.getVersion()).isEqualTo(before + 1);
    Route users = snapshot().getRoutesList().stream().filter(r -> r.getId().equals("users")).findFirst().orElseThrow();
    assertThat(users.getRateLimit().hasEffective()).isFalse();
    assertThat(users.getRateLimit().hasOverride()).isFalse();
    AuditEntry entry = newestAudit();
    assertThat(entry.getRevertsEntryId()).isEqualTo(limit.getAuditEntryId());
    assertThat(entry.getAfterJson()).isEqualTo(audit().getAuditEntry(dev.sluice.admin.v1.GetAuditEntryRequest
        .newBuilder().setId(limit.getAuditEntryId()).build()).getBeforeJson());
  }

  @Test
  void aDrainBelowTheFloorIsRefusedWithTheNumbersUnlessExplicitlyAllowed() throws Exception {
    long before = version();
    DrainInstanceRequest drain = DrainInstanceRequest.newBuilder().setContext(context(before, "rollback"))
        .setService("users").setInstanceId("u1").setTtl(seconds(600)).build();

    StatusRuntimeException e = refused(() -> control(AdminTestAgent.OPERATOR).drainInstance(drain));
    AuditEntry refusal = newestAudit();
    ChangeResult escaped = control(AdminTestAgent.OPERATOR).drainInstance(drain.toBuilder()
        .setAllowBelowFloor(true).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    FloorViolation floor = detail(e, FloorViolation.class);
    assertThat(floor.getService()).isEqualTo("users");
    assertThat(floor.getServingAfter()).isEqualTo(1);
    assertThat(floor.getTotalInstances()).isEqualTo(2);
    assertThat(floor.getMinHealthyPercent()).isEqualTo(60.0);
    assertThat(refusal.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_REFUSED);
    assertThat(escaped.getVersion()).isEqualTo(before + 1);
    AuditEntry applied = newestAudit();
    assertThat(applied.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_APPLIED);
    assertThat(applied.getBelowFloor()).isTrue();
    Instance u1 = snapshot().getServicesList().stream().filter(s -> s.getName().equals("users")).findFirst()
        .orElseThrow().getInstancesList().stream().filter(i -> i.getId().equals("u1")).findFirst().orElseThrow();
    assertThat(u1.getServing()).isFalse();
    assertThat(u1.getDrain().getSetBy()).isEqualTo("olivia");
  }

  @Test
  void aRouteCreatedAtRuntimeIsMarkedAsSuchAndItsRevertDeletesIt() {
    ChangeResult created = control(AdminTestAgent.OPERATOR).upsertRoute(UpsertRouteRequest.newBuilder()
        .setContext(context(version(), "new endpoint"))
        .setRoute(Route.newBuilder().setId("users-v2").setService("users")
            .setMatch(RouteMatch.newBuilder().setPath("/v2/users/:id").addMethods("GET"))
            .setRateLimit(dev.sluice.admin.v1.RateLimitStatus.newBuilder()
                .setConfigured(RateLimit.newBuilder().setRequestsPerSecond(20).setBurst(40))))
        .build());

    Route route = snapshot().getRoutesList().stream().filter(r -> r.getId().equals("users-v2")).findFirst()
        .orElseThrow();
    assertThat(route.getOrigin()).isEqualTo(dev.sluice.admin.v1.Origin.ORIGIN_RUNTIME);
    assertThat(route.getDiffersFromFile()).isTrue();
    assertThat(route.getMatch().getMethodsList()).containsExactly("GET");
    assertThat(route.getRateLimit().getEffective().getBurst()).isEqualTo(40);

    long before = version();
    ChangeResult reverted = control(AdminTestAgent.OPERATOR).revertAuditEntry(RevertAuditEntryRequest.newBuilder()
        .setContext(context(before, "not yet")).setEntryId(created.getAuditEntryId()).build());

    assertThat(reverted.getVersion()).isEqualTo(before + 1);
    assertThat(snapshot().getRoutesList()).extracting(Route::getId).doesNotContain("users-v2");
  }

  @Test
  void overridesAndTheAuditLogSurviveARestart() throws Exception {
    ChangeResult trip = control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(version(), "keep me")).setService("users").setTtl(seconds(3600)).build());

    agent.stop();
    agent.startAgain();

    Breaker users = breaker("users");
    assertThat(users.getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
    assertThat(users.getOverrideInfo().getExpiresAt()).isEqualTo(trip.getExpiresAt());
    assertThat(users.getOverrideInfo().getSetBy()).isEqualTo("olivia");
    assertThat(newestAudit().getId()).isEqualTo(trip.getAuditEntryId());
  }

  @Test
  void anExpiryAfterARestartStillSaysWhoSetTheOverrideAndWhy() throws Exception {
    ChangeResult drain = control(AdminTestAgent.OPERATOR).drainInstance(DrainInstanceRequest.newBuilder()
        .setContext(context(version(), "deploy rollback")).setService("users").setInstanceId("u2")
        .setAllowBelowFloor(true).setTtl(seconds(4)).build());

    agent.stop();
    agent.startAgain();

    assertExpiredOnce("instance:users/u2", drain.getAuditEntryId(),
        "drain of users/u2 expired after 4s, set by olivia: deploy rollback");
  }

  @Test
  void aDeadlinePassedWhileStoppedIsAuditedAndAnnouncedOnceAtStart() throws Exception {
    ChangeResult trip = control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(version(), "bad deploy")).setService("users").setTtl(seconds(1)).build());
    agent.stop();
    await().pollDelay(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(5)).until(() -> true);

    agent.startAgain();

    assertExpiredOnce("breaker:users", trip.getAuditEntryId(),
        "breaker of users expired after 1s, set by olivia: bad deploy");
  }

  private void assertExpiredOnce(String target, String setterEntryId, String message) {
    await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(newestAudit().getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_EXPIRED));
    AuditEntry expiry = newestAudit();
    assertThat(expiry.getTarget()).isEqualTo(target);
    assertThat(expiry.getMessage()).isEqualTo(message);
    assertThat(expiry.getRevertsEntryId()).isEqualTo(setterEntryId);
    List<Event> expired = agent.as(AdminTestAgent.VIEWER, EventServiceGrpc.newBlockingStub(agent.channel()))
        .listEvents(ListEventsRequest.newBuilder().addKinds(EventKind.EVENT_KIND_OVERRIDE_EXPIRED).build())
        .getEventsList();
    assertThat(expired).singleElement().satisfies(event -> {
      assertThat(event.getSummary()).isEqualTo(message);
      assertThat(event.getOverrideExpired().getAuditEntryId()).isEqualTo(expiry.getId());
      assertThat(event.getOverrideExpired().getExpired().getAuditEntryId()).isEqualTo(setterEntryId);
    });
  }

  @Test
  void telemetryFramesCountExactlyTheProxiedRequestsAndCarryBreakersAndInstances() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Iterator<TelemetryFrame> frames = agent.as(AdminTestAgent.VIEWER, TelemetryServiceGrpc.newBlockingStub(agent.channel()))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .watchTelemetry(WatchTelemetryRequest.newBuilder().setInterval(Duration.newBuilder().setNanos(100_000_000))
            .addRouteIds("users").build());
    TelemetryFrame first = frames.next();

    for (int i = 0; i < 7; i++) {
      java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + agent.proxyPort() + "/users")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
    long counted = 0;
    TelemetryFrame frame = first;
    while (counted < 7) {
      frame = frames.next();
      counted += frame.getRoutesList().stream().filter(r -> r.getRouteId().equals("users"))
          .mapToLong(r -> r.getRequests()).sum();
    }

    assertThat(counted).isEqualTo(7);
    assertThat(frame.getConfigVersion()).isEqualTo(version());
    assertThat(frame.getBreakersList()).extracting(Breaker::getService).contains("users", "payments");
    assertThat(frame.getInstancesList()).extracting(i -> i.getInstanceId()).contains("u1", "u2");
  }

  @Test
  void aWatcherResumesFromTheLastSequenceItSawAfterReconnecting() {
    control(AdminTestAgent.OPERATOR).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(context(version(), "one")).setService("users").setTtl(seconds(600)).build());
    EventServiceGrpc.EventServiceBlockingStub events =
        agent.as(AdminTestAgent.VIEWER, EventServiceGrpc.newBlockingStub(agent.channel()));
    List<Event> held = events.listEvents(ListEventsRequest.getDefaultInstance()).getEventsList();
    long last = held.get(held.size() - 1).getSequence();

    control(AdminTestAgent.OPERATOR).resetBreaker(ResetBreakerRequest.newBuilder()
        .setContext(context(version(), "two")).setService("users").build());
    Iterator<Event> resumed = events.withDeadlineAfter(10, TimeUnit.SECONDS)
        .watchEvents(WatchEventsRequest.newBuilder().setFromSequence(last + 1).build());

    Event first = resumed.next();
    assertThat(first.getSequence()).isEqualTo(last + 1);
    assertThat(first.getKind()).isNotEqualTo(EventKind.EVENT_KIND_GAP);
  }
}
