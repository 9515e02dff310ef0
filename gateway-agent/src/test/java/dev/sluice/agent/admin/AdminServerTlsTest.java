package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.Session;
import dev.sluice.agent.admin.AdminServerConfig.ClientAuth;
import dev.sluice.agent.admin.auth.AuthContext;
import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.CertificateGrant;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTlsTest {

  static final String TOKEN = "tls-viewer-token-52c1e8a09b";

  @TempDir static Path dir;
  static Path caPem;
  static PemFiles alice;
  static PemFiles mallory;
  static PemFiles expired;
  static PemFiles strangerFromOtherCa;
  static AdminServer required;
  static AdminServer optional;

  /** Answers GetSession with the principal and how it authenticated. */
  static final class SessionEcho extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
      response.onNext(AdminProtoMapper.session(AuthContext.principal().orElseThrow()));
      response.onCompleted();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Issued ca = CertificateFactory.newCa("Sluice Test CA");
    caPem = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
    PemFiles serverPem = CertificateFactory.newServer(ca).writeTo(dir, "server");
    alice = CertificateFactory.newClient(ca, "alice").writeTo(dir, "alice");
    mallory = CertificateFactory.newClient(ca, "mallory").writeTo(dir, "mallory");
    expired = CertificateFactory.newExpiredClient(ca, "alice").writeTo(dir, "expired");
    Issued otherCa = CertificateFactory.newCa("Someone Else CA");
    strangerFromOtherCa = CertificateFactory.newClient(otherCa, "alice").writeTo(dir, "stranger");

    Authenticator authenticator = new Authenticator(
        List.of(new TokenGrant("vera", TokenHashes.hash(TOKEN), Role.VIEWER, Scope.UNRESTRICTED,
            Set.of())),
        List.of(new CertificateGrant("CN=alice", Role.OPERATOR, Scope.UNRESTRICTED, Set.of())));
    required = startServer(serverPem, ClientAuth.REQUIRE, authenticator);
    optional = startServer(serverPem, ClientAuth.OPTIONAL, authenticator);
  }

  private static AdminServer startServer(PemFiles pem, ClientAuth clientAuth,
      Authenticator authenticator) throws Exception {
    AdminServerConfig config = new AdminServerConfig("127.0.0.1", 0,
        new AdminServerConfig.Tls(pem.certificate(), pem.privateKey(), caPem, clientAuth), false);
    return AdminServer.builder(config, authenticator, new SimpleMeterRegistry())
        .addService(new SessionEcho())
        .shutdownGrace(Duration.ofMillis(500))
        .start();
  }

  @AfterAll
  static void stop() {
    required.close();
    optional.close();
  }

  private static Session session(AdminServer server, @Nullable PemFiles client,
      @Nullable String token) throws Exception {
    ManagedChannel channel = AdminClients.tls(server.port(), caPem, client);
    try {
      var stub = AgentServiceGrpc.newBlockingStub(channel);
      if (token != null) {
        stub = AdminClients.withToken(stub, token);
      }
      return stub.withDeadlineAfter(java.time.Duration.ofSeconds(10))
          .getSession(GetSessionRequest.getDefaultInstance());
    } finally {
      AdminClients.close(channel);
    }
  }

  @Test
  void mappedClientCertificateAuthenticatesWithoutToken() throws Exception {
    Session session = session(required, alice, null);
    assertThat(session.getPrincipal()).isEqualTo("CN=alice");
    assertThat(session.getAuthMethod())
        .isEqualTo(dev.sluice.admin.v1.AuthMethod.AUTH_METHOD_CLIENT_CERTIFICATE);
  }

  @Test
  void tokenWinsOverTheClientCertificate() throws Exception {
    assertThat(session(required, alice, TOKEN).getPrincipal()).isEqualTo("vera");
  }

  @Test
  void requiredClientAuthRefusesAHandshakeWithoutCertificate() {
    assertThatThrownBy(() -> session(required, null, TOKEN))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void certificateFromAnotherCaIsRefused() {
    assertThatThrownBy(() -> session(required, strangerFromOtherCa, TOKEN))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void expiredClientCertificateIsRefused() {
    assertThatThrownBy(() -> session(required, expired, TOKEN))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void validButUnmappedCertificateStillNeedsAToken() {
    assertThatThrownBy(() -> session(required, mallory, null))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("missing bearer token (client certificate CN=mallory maps to no principal)");
        });
  }

  @Test
  void optionalClientAuthAcceptsATokenWithoutCertificate() throws Exception {
    assertThat(session(optional, null, TOKEN).getPrincipal()).isEqualTo("vera");
    assertThat(session(optional, alice, null).getPrincipal()).isEqualTo("CN=alice");
  }
}
