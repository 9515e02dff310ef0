package dev.sluice.agent.admin;

import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.auth.TokenHashes;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An admin server on loopback with the given services, one viewer token, a client channel, and an
 * executor for the services' streams; closed after the test class.
 */
public final class TestAdminServer implements AutoCloseable {

  public static final String VIEWER_TOKEN = "test-viewer-token-4b7d21c9e0";

  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final AdminMetrics metrics = new AdminMetrics(registry);
  public final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread thread = new Thread(r, "test-admin-stream");
    thread.setDaemon(true);
    return thread;
  });
  private AdminServer server;
  private ManagedChannel channel;

  /** Starts the server with services made from this fixture's executor and metrics. */
  public TestAdminServer start(List<BindableService> services) throws Exception {
    Authenticator authenticator = new Authenticator(List.of(new TokenGrant("vera",
        TokenHashes.hash(VIEWER_TOKEN), Role.VIEWER, Scope.UNRESTRICTED, Set.of())), List.of());
    AdminServer.Builder builder = AdminServer.builder(AdminServerConfig.loopbackPlaintext(),
        authenticator, registry).metrics(metrics).shutdownGrace(Duration.ofMillis(500));
    services.forEach(builder::addService);
    server = builder.start();
    channel = AdminClients.plaintext(server.port());
    return this;
  }

  public int port() {
    return server.port();
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** The stub with the viewer token attached. */
  public <S extends AbstractStub<S>> S authed(S stub) {
    return AdminClients.withToken(stub, VIEWER_TOKEN);
  }

  @Override
  public void close() {
    try {
      AdminClients.close(channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    executor.shutdownNow();
  }
}
