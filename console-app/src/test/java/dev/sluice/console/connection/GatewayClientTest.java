package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.console.demo.GatewaySimulator;
import dev.sluice.console.support.RecordingListener;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a gateway over real gRPC on loopback (the simulated gateway for now). */
class GatewayClientTest {
  private static final Duration CEILING = Duration.ofSeconds(20);
  private GatewaySimulator gateway = GatewaySimulator.start();
  private final RecordingListener seen = new RecordingListener();
  private final GatewayClient client = new GatewayClient(
      new GatewayTarget(gateway.host(), gateway.port(), "demo-token"), seen, Duration.ofMillis(200));

  @AfterEach
  void close() {
    client.close();
    gateway.close();
  }

  @Test
  void attachReadsTheSnapshotThenStreamsTrafficAndEvents() {
    client.start();

    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    assertThat(seen.agents).isNotEmpty();
    assertThat(seen.lastSnapshot().getRoutesList()).extracting(r -> r.getMatch().getPath())
        .contains("/api/v1/users", "/api/v1/users/:id", "/static/*path");
    await().atMost(CEILING).until(() -> seen.frames.stream()
        .flatMap(f -> f.getRoutesList().stream())
        .mapToLong(RouteTelemetry::getRequests).sum() > 0);
    assertThat(seen.events).extracting(e -> e.getKind())
        .contains(EventKind.EVENT_KIND_CONFIG_CHANGED);
  }

  @Test
  void tripForcesTheBreakerOpenAndResyncsTheSnapshot() {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    long version = seen.lastSnapshot().getConfigVersion();

    var result = client.tripBreaker("users", new Change(version, "INC-1 users is corrupting data"))
        .join();

    assertThat(result.getVersion()).isEqualTo(version + 1);
    assertThat(gateway.breaker("users").getOverride())
        .isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
    await().atMost(CEILING).until(() -> seen.lastSnapshot().getConfigVersion() == version + 1);
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
    assertThat(gateway.instance("users", "users-2").hasDrain()).isFalse();
  }

  @Test
  void viewerIsRefusedAChangeAndTheRefusalIsAudited() {
    RecordingListener viewerSees = new RecordingListener();
    try (GatewayClient viewer = new GatewayClient(
        new GatewayTarget(gateway.host(), gateway.port(), GatewaySimulator.viewerToken()),
        viewerSees, Duration.ofMillis(200))) {
      viewer.start();
      await().atMost(CEILING).until(() -> viewerSees.phase() == ConnectionState.Phase.LIVE);

      assertThatThrownBy(() -> viewer.tripBreaker("users", new Change(0, "just looking")).join())
          .cause().satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
              .isEqualTo(Status.Code.PERMISSION_DENIED));
      assertThat(gateway.breaker("users").getOverride())
          .isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE);
      await().atMost(CEILING).until(() -> viewerSees.events.stream()
          .anyMatch(e -> e.getKind() == EventKind.EVENT_KIND_AUDIT
              && e.getAudit().getPrincipal().equals("demo-viewer")
              && e.getAudit().getOutcome() == dev.sluice.admin.v1.AuditOutcome.AUDIT_OUTCOME_DENIED));
    }
  }

  @Test
  void failingUpstreamOpensItsBreakerByItself() {
    gateway.setFailing("payments", true);

    await().atMost(CEILING).until(() ->
        gateway.breaker("payments").getComputedState() == BreakerState.BREAKER_STATE_OPEN);
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
  void reconnectsAndResyncsWhenTheGatewayComesBack() {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    int port = gateway.port();
    int snapshotsBefore = seen.snapshots.size();

    gateway.close();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.RECONNECTING);
    assertThat(seen.states.get(seen.states.size() - 1).lastDataAt()).isNotNull();
    gateway = GatewaySimulator.start(port);

    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    assertThat(seen.snapshots.size()).isGreaterThan(snapshotsBefore);
  }
}
