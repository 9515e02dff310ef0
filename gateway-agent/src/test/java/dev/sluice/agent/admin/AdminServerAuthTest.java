package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.agent.admin.auth.AuthContext;
import dev.sluice.agent.admin.auth.AuthDenial;
import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.Principal;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.auth.TokenHashes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerAuthTest {

  static final String VIEWER_TOKEN = "viewer-secret-7f3a9c2e41d8b06f";
  static final String OPERATOR_TOKEN = "operator-secret-1b9e0d4c77a2f35e";

  static final List<AuthDenial> denials = new CopyOnWriteArrayList<>();
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static AdminServer server;
  static ManagedChannel channel;

  /** A stand-in for the control plane: answers every trip with version 2. */
  static final class FakeControl extends ControlServiceGrpc.ControlServiceImplBase {
    @Override
    public void tripBreaker(TripBreakerRequest request, StreamObserver<ChangeResult> response) {
      response.onNext(ChangeResult.newBuilder().setVersion(2).setAuditEntryId("a-000001").build());
      response.onCompleted();
    }
  }

  /** Answers GetSession from the principal the interceptor put in the context. */
  static final class SessionEcho extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
      response.onNext(AdminProtoMapper.session(AuthContext.principal().orElseThrow()));
      response.onCompleted();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Authenticator authenticator = new Authenticator(List.of(
        new TokenGrant("vera", TokenHashes.hash(VIEWER_TOKEN), Role.VIEWER, Scope.UNRESTRICTED,
            Set.of()),
        new TokenGrant("otto", TokenHashes.hash(OPERATOR_TOKEN), Role.OPERATOR,
            new Scope(List.of("payments"), List.of()), Set.of(Principal.PERMANENT_OVERRIDE))),
        List.of());
    server = AdminServer.builder(AdminServerConfig.loopbackPlaintext(), authenticator, registry)
        .addService(new FakeControl())
        .addService(new SessionEcho())
        .denialListener(denials::add)
        .shutdownGrace(Duration.ofMillis(500))
        .start();
    channel = AdminClients.plaintext(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    AdminClients.close(channel);
    server.close();
  }

  @BeforeEach
  void clearDenials() {
    denials.clear();
  }

  private static TripBreakerRequest trip() {
    return TripBreakerRequest.newBuilder().setService("payments").build();
  }

  @Test
  void callWithoutTokenIsUnauthenticated() {
    var stub = AgentServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.getSession(GetSessionRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("missing bearer token");
        });
    assertThat(denials).singleElement().satisfies(d -> {
      assertThat(d.principal()).isNull();
      assertThat(d.service()).isEqualTo("AgentService");
      assertThat(d.method()).isEqualTo("GetSession");
    });
  }

  @Test
  void unknownTokenIsUnauthenticatedAndNeverEchoed() {
    var stub = AdminClients.withToken(AgentServiceGrpc.newBlockingStub(channel), "guessed-token");
    assertThatThrownBy(() -> stub.getSession(GetSessionRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("unknown token");
        });
    assertThat(denials).singleElement().asString().doesNotContain("guessed-token");
  }

  @Test
  void headerWithoutBearerSchemeIsUnauthenticated() {
    var stub = AgentServiceGrpc.newBlockingStub(channel).withInterceptors(
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(basicAuth()));
    assertThatThrownBy(() -> stub.getSession(GetSessionRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getDescription())
                .isEqualTo("authorization header must be 'Bearer <token>'"));
  }

  private static io.grpc.Metadata basicAuth() {
    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        "Basic dmVyYTpzZWNyZXQ=");
    return headers;
  }

  @Test
  void viewerMayReadAndSeesItsPrincipal() {
    var stub = AdminClients.withToken(AgentServiceGrpc.newBlockingStub(channel), VIEWER_TOKEN);
    assertThat(stub.getSession(GetSessionRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("vera");
    assertThat(denials).isEmpty();
  }

  @Test
  void viewerCallingControlServiceIsDeniedNamingTheRoleNeeded() {
    var stub = AdminClients.withToken(ControlServiceGrpc.newBlockingStub(channel), VIEWER_TOKEN);
    assertThatThrownBy(() -> stub.tripBreaker(trip()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("role viewer may not call ControlService/TripBreaker; operator needed");
        });
    assertThat(denials).singleElement().satisfies(d -> {
      assertThat(d.principal()).isNotNull();
      assertThat(d.principal().name()).isEqualTo("vera");
      assertThat(d.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(d.method()).isEqualTo("TripBreaker");
    });
    assertThat(registry.get("sluice.admin.calls").tag("rpc", "ControlService/TripBreaker")
        .tag("code", "PERMISSION_DENIED").counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void operatorMayCallControlServiceWithItsPermissionsInContext() {
    var control = AdminClients.withToken(ControlServiceGrpc.newBlockingStub(channel), OPERATOR_TOKEN);
    assertThat(control.tripBreaker(trip()).getVersion()).isEqualTo(2);
    var agent = AdminClients.withToken(AgentServiceGrpc.newBlockingStub(channel), OPERATOR_TOKEN);
    assertThat(agent.getSession(GetSessionRequest.getDefaultInstance()).getPermissionsList())
        .containsExactly(Principal.PERMANENT_OVERRIDE);
    assertThat(denials).isEmpty();
    assertThat(registry.get("sluice.admin.calls").tag("rpc", "ControlService/TripBreaker")
        .tag("code", "OK").counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void healthServiceAnswersServingWithTheSameAuthentication() {
    var health = AdminClients.withToken(HealthGrpc.newBlockingStub(channel), VIEWER_TOKEN);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThatThrownBy(() -> HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }
}
