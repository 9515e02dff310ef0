package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.agent.admin.AdminServerConfig.ClientAuth;
import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.auth.TokenHashes;
import io.grpc.ManagedChannel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdminServerConfigTest {

  private static final Authenticator NOBODY = new Authenticator(List.of(), List.of());

  @Test
  void plaintextOnANonLoopbackAddressIsRefused() {
    AdminServerConfig config = new AdminServerConfig("0.0.0.0", 0, null, false);
    assertThat(config.violations()).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("admin.tls");
      assertThat(v.message()).contains("plaintext is refused on non-loopback address 0.0.0.0");
    });
    assertThatThrownBy(() -> AdminServer.builder(config, NOBODY, new SimpleMeterRegistry()).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin.tls: plaintext is refused");
  }

  @Test
  void plaintextOnANonLoopbackAddressStartsWhenMarkedInsecure() throws Exception {
    AdminServerConfig config = new AdminServerConfig("0.0.0.0", 0, null, true);
    assertThat(config.violations()).isEmpty();
    try (AdminServer server = AdminServer.builder(config, NOBODY, new SimpleMeterRegistry())
        .shutdownGrace(Duration.ofMillis(200)).start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.isTls()).isFalse();
    }
  }

  @Test
  void plaintextOnLoopbackNeedsNoFlag() {
    assertThat(new AdminServerConfig("127.0.0.1", 0, null, false).violations()).isEmpty();
    assertThat(new AdminServerConfig("::1", 0, null, false).violations()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    AdminServerConfig config = new AdminServerConfig("127.0.0.1", 70_000,
        new AdminServerConfig.Tls(Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem"),
            null, ClientAuth.REQUIRE), false);
    assertThat(config.violations()).extracting(AdminServerConfig.Violation::path)
        .containsExactly("admin.port", "admin.tls.certificate", "admin.tls.key",
            "admin.tls.clientCa");
  }

  @Test
  void reflectionListsTheSluiceServicesToAuthenticatedCallers() throws Exception {
    String token = "reflection-token-0c4d9e";
    Authenticator authenticator = new Authenticator(List.of(new TokenGrant("vera",
        TokenHashes.hash(token), Role.VIEWER, Scope.UNRESTRICTED, Set.of())), List.of());
    try (AdminServer server = AdminServer.builder(AdminServerConfig.loopbackPlaintext(),
            authenticator, new SimpleMeterRegistry())
        .addService(new EventServiceGrpc.EventServiceImplBase() { })
        .shutdownGrace(Duration.ofMillis(200)).start()) {
      ManagedChannel channel = AdminClients.plaintext(server.port());
      try {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        var stub = AdminClients.withToken(ServerReflectionGrpc.newStub(channel), token);
        StreamObserver<ServerReflectionRequest> requests = stub.serverReflectionInfo(
            new StreamObserver<>() {
              @Override
              public void onNext(ServerReflectionResponse response) {
                services.complete(response.getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName).toList());
              }

              @Override
              public void onError(Throwable t) {
                services.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        assertThat(services.get(10, TimeUnit.SECONDS)).contains("sluice.admin.v1.EventService",
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
      } finally {
        AdminClients.close(channel);
      }
    }
  }
}
