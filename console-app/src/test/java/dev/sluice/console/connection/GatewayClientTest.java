package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.support.AgentProbe;
import dev.sluice.console.support.RecordingListener;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real gateway agent over gRPC on loopback, with real upstreams behind it. */
class GatewayClientTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @TempDir
  Path dir;
  private DemoGateway gateway;
  private AgentProbe agent;
  private final RecordingListener seen = new RecordingListener();
  private GatewayClient client;

  @BeforeEach
  void start() throws Exception {
    gateway = DemoGateway.start(dir, 0);
    agent = new AgentProbe(gateway);
    client = new GatewayClient(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.operatorToken()), seen,
        Duration.ofMillis(200));
  }

  @AfterEach
  void close() {
    client.close();
    agent.close();
    gateway.close();
  }

  @Test
  void attachReadsTheSnapshotThenStreamsTrafficAndEvents() {
    client.start();

    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    assertThat(seen.agents).isNotEmpty();
    assertThat(seen.lastSnapshot().getRoutesList()).extracting(r -> r.getMatch().getPath())
        .contains("/api/v1/users", "/api/v1/users/:id", "/static/*file");
    await().atMost(CEILING).until(() -> seen.frames.stream()
        .flatMap(f -> f.getRoutesList().stream())
        .mapToLong(RouteTelemetry::getRequests).sum() > 0);
  }

  @Test
  void tripForcesTheBreakerOpenAndResyncsTheSnapshot() {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    long version = seen.lastSnapshot().getConfigVersion();

    var result = client.tripBreaker("users", new Change(version, "INC-1 users is corrupting data"))
        .join();

    assertThat(result.getVersion()).isGreaterThan(version);
    assertThat(agent.breaker("users").getOverride())
        .isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
    await().atMost(CEILING).until(() -> seen.lastSnapshot().getConfigVersion() == result.getVersion());
    await().atMost(CEILING).until(() -> seen.events.stream()
        .anyMatch(e -> e.getKind() == EventKind.EVENT_KIND_AUDIT
            && e.getAudit().getReason().equals("INC-1 users is corrupting data")));
  }

  @Test
  void staleVersionIsRefusedAndChangesNothing() {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    long version = seen.lastSnapshot().getConfigVersion();

    assertThatThrownBy(() -> client.drainInstance("users", "users-2",
        new Change(version + 40, "deploy")).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
            .isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(agent.instance("users", "users-2").hasDrain()).isFalse();
  }

  @Test
  void viewerIsRefusedAChangeAndTheRefusalIsAudited() {
    RecordingListener viewerSees = new RecordingListener();
    try (GatewayClient viewer = new GatewayClient(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.viewerToken()),
        viewerSees, Duration.ofMillis(200))) {
      viewer.start();
      await().atMost(CEILING).until(() -> viewerSees.phase() == ConnectionState.Phase.LIVE);

      assertThatThrownBy(() -> viewer.tripBreaker("users", new Change(0, "just looking")).join())
          .cause().satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
              .isEqualTo(Status.Code.PERMISSION_DENIED));
      assertThat(agent.breaker("users").getOverride())
          .isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE);
      await().atMost(CEILING).until(() -> viewerSees.events.stream()
          .anyMatch(e -> e.getKind() == EventKind.EVENT_KIND_AUDIT
              && e.getAudit().getPrincipal().equals("demo-viewer")
              && e.getAudit().getOutcome() == dev.sluice.admin.v1.AuditOutcome.AUDIT_OUTCOME_DENIED));
    }
  }

  @Test
  void viewOnlyTargetSendsNoChangeEvenWithAnOperatorToken() {
    try (GatewayClient viewOnly = new GatewayClient(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.operatorToken())
            .with(GatewayTarget.Tls.PLAINTEXT, true),
        new RecordingListener(), Duration.ofMillis(200))) {

      assertThatThrownBy(() -> viewOnly.tripBreaker("users", new Change(0, "oops")).join())
          .cause().satisfies(e -> assertThat(Status.fromThrowable(e).getDescription())
              .isEqualTo("this connection is view-only: the console sends no changes"));
      assertThat(agent.breaker("users").getOverride())
          .isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE);
    }
  }

  @Test
  void unreadableTlsMaterialFailsTheConnectionWithTheReason() {
    RecordingListener failed = new RecordingListener();
    try (GatewayClient tls = new GatewayClient(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.operatorToken())
            .with(new GatewayTarget.Tls(true, dir.resolve("no-such-ca.pem"), null, null), false),
        failed, Duration.ofMillis(200))) {
      tls.start();

      await().atMost(CEILING).until(() -> failed.phase() == ConnectionState.Phase.FAILED);
      assertThat(failed.states.get(failed.states.size() - 1).detail())
          .startsWith("TLS material unusable: ");
    }
  }

  @Test
  void refusedCredentialsFailWithoutRetryingAndTheTokenTravelsAsBearer() throws Exception {
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.grpc.Metadata.Key<String> authorization =
        io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    io.grpc.Server refusing = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))
        .addService(io.grpc.ServerInterceptors.intercept(
            new dev.sluice.admin.v1.AgentServiceGrpc.AgentServiceImplBase() { },
            new io.grpc.ServerInterceptor() {
              @Override
              public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(
                  io.grpc.ServerCall<Q, A> call, io.grpc.Metadata headers,
                  io.grpc.ServerCallHandler<Q, A> next) {
                seen.add(String.valueOf(headers.get(authorization)));
                call.close(Status.UNAUTHENTICATED.withDescription("unknown token"),
                    new io.grpc.Metadata());
                return new io.grpc.ServerCall.Listener<>() { };
              }
            }))
        .build().start();
    RecordingListener refused = new RecordingListener();
    try (GatewayClient wrong = new GatewayClient(
        new GatewayTarget("127.0.0.1", refusing.getPort(), "not-a-token"), refused,
        Duration.ofSeconds(1))) {
      wrong.start();

      await().atMost(CEILING).until(() -> refused.phase() == ConnectionState.Phase.FAILED);
      assertThat(refused.states.get(refused.states.size() - 1).detail())
          .isEqualTo("UNAUTHENTICATED: unknown token");
      assertThat(seen).containsExactly("Bearer not-a-token");
    } finally {
      refusing.shutdownNow();
    }
  }

  @Test
  void reconnectsAndResyncsWhenTheGatewayComesBack() throws Exception {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    int snapshotsBefore = seen.snapshots.size();

    gateway.stopAgent();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.RECONNECTING);
    assertThat(seen.states.get(seen.states.size() - 1).lastDataAt()).isNotNull();
    gateway.startAgent();

    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    assertThat(seen.snapshots.size()).isGreaterThan(snapshotsBefore);
  }
}
