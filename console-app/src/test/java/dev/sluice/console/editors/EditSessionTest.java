package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitStatus;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayClient;
import dev.sluice.console.connection.GatewayListener;
import dev.sluice.console.support.AgentFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The edit flow against a real agent over gRPC on loopback: check, diff, apply, conflict. */
class EditSessionTest {
  private static final Duration CEILING = Duration.ofSeconds(20);
  private static AgentFixture agent;
  private static GatewayClient client;
  private static CountingGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    agent = AgentFixture.start("edge-1", "eu");
    client = new GatewayClient(agent.target(AgentFixture.OPERATOR), new Quiet(), Duration.ofSeconds(1));
    gateway = new CountingGateway(EditorGateway.of(client));
  }

  @AfterAll
  static void stop() {
    client.close();
    agent.close();
  }

  @Test
  void invalidLimitIsReportedFieldByFieldAndSendsNothing() {
    RateLimitForm form = new RateLimitForm(usersGet(), Duration.ofHours(2));
    form.requestsPerSecondProperty().set("-5");
    form.burstProperty().set("lots");
    form.ttlProperty().set("3h");
    EditSession session = new EditSession(form, gateway, Runnable::run, version());
    session.reasonProperty().set("INC-1 shed load");
    int callsBefore = gateway.calls.get();

    session.check();

    assertThat(session.phaseProperty().get()).isEqualTo(EditSession.Phase.INVALID);
    assertThat(session.violations()).extracting(Violation::path)
        .containsExactly("limit.requests_per_second", "limit.burst", "ttl");
    session.apply();
    assertThat(gateway.calls.get()).as("nothing reached the gateway").isEqualTo(callsBefore);
  }

  @Test
  void aMissingReasonSendsNothing() {
    RateLimitForm form = new RateLimitForm(usersGet(), Duration.ZERO);
    EditSession session = new EditSession(form, gateway, Runnable::run, version());
    int callsBefore = gateway.calls.get();

    session.check();

    assertThat(session.violations()).extracting(Violation::path).containsExactly("context.reason");
    assertThat(gateway.calls.get()).isEqualTo(callsBefore);
  }

  @Test
  void validLimitIsDryRunShownAsADiffThenApplied() {
    Route route = route("orders");
    RateLimitForm form = new RateLimitForm(route, Duration.ofHours(2));
    form.requestsPerSecondProperty().set("40");
    form.burstProperty().set("10");
    form.ttlProperty().set("30m");
    EditSession session = new EditSession(form, gateway, Runnable::run, version());
    session.reasonProperty().set("INC-2 orders importer floods us");

    session.check();
    await().atMost(CEILING).until(() -> session.phaseProperty().get() != EditSession.Phase.CHECKING);

    assertThat(session.phaseProperty().get()).isEqualTo(EditSession.Phase.REVIEWED);
    assertThat(session.diff()).extracting(ChangeDiff.Line::toString)
        .anyMatch(line -> line.contains("40"));
    assertThat(agentLimit("orders")).as("a dry run applies nothing").isNull();

    session.apply();
    await().atMost(CEILING).until(() -> session.phaseProperty().get() == EditSession.Phase.APPLIED);
    assertThat(agentLimit("orders")).isEqualTo(40.0);
    assertThat(session.resultProperty().get().hasExpiresAt()).as("the 30m ttl").isTrue();
  }

  @Test
  void aChangeMadeMeanwhileIsAConflictAndReloadReappliesOnTheNewVersion() {
    long basedOn = version();
    RouteForm form = new RouteForm(route("users-list"), List.of("users", "orders"));
    form.timeoutProperty().set("7s");
    EditSession session = new EditSession(form, gateway, Runnable::run, basedOn);
    session.reasonProperty().set("INC-3 users list is slow");
    someoneElseChangesTheGateway();

    session.check();
    await().atMost(CEILING).until(() -> session.phaseProperty().get() != EditSession.Phase.CHECKING);

    assertThat(session.phaseProperty().get()).isEqualTo(EditSession.Phase.CONFLICT);
    assertThat(session.messageProperty().get()).contains("v" + basedOn).contains("v" + version());

    session.reloadAndReapply();
    await().atMost(CEILING).until(() -> session.phaseProperty().get() == EditSession.Phase.APPLIED
        || session.phaseProperty().get() == EditSession.Phase.FAILED);
    assertThat(session.phaseProperty().get()).isEqualTo(EditSession.Phase.APPLIED);
    assertThat(agent.runtime().control().state().routes().stream()
        .filter(r -> r.route().id().equals("users-list")).findFirst().orElseThrow()
        .route().responseTimeout()).isEqualTo(Duration.ofSeconds(7));
  }

  private static void someoneElseChangesTheGateway() {
    assertThat(agent.changeAsSomeoneElse()).isPositive();
  }

  private static long version() {
    return agent.runtime().control().version();
  }

  private static Double agentLimit(String routeId) {
    var limit = agent.runtime().control().state().routes().stream()
        .filter(r -> r.route().id().equals(routeId)).findFirst().orElseThrow().effectiveLimit();
    return limit == null ? null : limit.requestsPerSecond();
  }

  private static Route usersGet() {
    return Route.newBuilder().setId("users-get")
        .setMatch(RouteMatch.newBuilder().setPath("/api/users/:id").addMethods("GET"))
        .setService("users")
        .setRateLimit(RateLimitStatus.newBuilder()
            .setEffective(RateLimit.newBuilder().setRequestsPerSecond(100).setBurst(20)))
        .build();
  }

  private static Route route(String id) {
    return client.control(stub -> dev.sluice.admin.v1.AgentServiceGrpc.newBlockingStub(
            stub.getChannel()).getSnapshot(dev.sluice.admin.v1.GetSnapshotRequest.getDefaultInstance())).join()
        .getRoutesList().stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  /** The real gateway, counting the calls that reach it. */
  private record CountingGateway(EditorGateway delegate, AtomicInteger calls) implements EditorGateway {
    CountingGateway(EditorGateway delegate) {
      this(delegate, new AtomicInteger());
    }

    @Override
    public CompletableFuture<ValidateChangeResponse> validate(ValidateChangeRequest request) {
      calls.incrementAndGet();
      return delegate.validate(request);
    }

    @Override
    public CompletableFuture<ChangeResult> upsertRoute(UpsertRouteRequest request) {
      calls.incrementAndGet();
      return delegate.upsertRoute(request);
    }

    @Override
    public CompletableFuture<ChangeResult> deleteRoute(dev.sluice.admin.v1.DeleteRouteRequest request) {
      calls.incrementAndGet();
      return delegate.deleteRoute(request);
    }

    @Override
    public CompletableFuture<ChangeResult> setRateLimit(SetRateLimitRequest request) {
      calls.incrementAndGet();
      return delegate.setRateLimit(request);
    }
  }

  private static final class Quiet implements GatewayListener {
    @Override
    public void onState(ConnectionState state) {}

    @Override
    public void onAttached(dev.sluice.admin.v1.AgentInfo agent, dev.sluice.admin.v1.Session session) {}

    @Override
    public void onSnapshot(dev.sluice.admin.v1.Snapshot snapshot) {}

    @Override
    public void onTelemetry(dev.sluice.admin.v1.TelemetryFrame frame) {}

    @Override
    public void onEvent(dev.sluice.admin.v1.Event event) {}
  }
}
