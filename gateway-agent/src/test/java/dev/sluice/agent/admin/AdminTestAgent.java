package dev.sluice.agent.admin;

import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.cli.AdminStartup;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.Transport;
import dev.sluice.agent.testing.TestRouting;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A real agent with its admin server, started from a config file in a directory of the test's
 * (so its state file and audit log sit beside it and survive a restart), with one token per role
 * and scope used by the admin tests.
 */
public final class AdminTestAgent implements AutoCloseable {

  public static final String OPERATOR = "op-token-3f9a1c7e5b2d4a60";
  public static final String ROOT = "root-token-8c1e5f2a9d7b3c40";
  public static final String VIEWER = "viewer-token-1a2b3c4d5e6f7a80";
  public static final String PAYMENTS_OPERATOR = "pay-token-6d5c4b3a2f1e0d90";

  private final Path file;
  private GatewayRuntime runtime;
  private AgentAdmin admin;
  private @Nullable ManagedChannel channel;

  private final boolean plaintext;

  private AdminTestAgent(Path file, boolean plaintext) {
    this.file = file;
    this.plaintext = plaintext;
  }

  /**
   * The admin block every admin test uses: olivia (operator, unscoped, TTL required), root (operator
   * with permanent-override), vera (viewer) and paula (operator scoped to payments and /pay).
   */
  public static String adminBlock() {
    return """
        admin:
          host: 127.0.0.1
          port: 0
          tokens:
            - {name: olivia, sha256: %s, role: operator}
            - {name: root, sha256: %s, role: operator, permissions: [permanent-override]}
            - {name: vera, sha256: %s, role: viewer}
            - {name: paula, sha256: %s, role: operator, scope: {services: [payments], routePrefixes: [/pay]}}
        """.formatted(TokenHashes.hash(OPERATOR), TokenHashes.hash(ROOT), TokenHashes.hash(VIEWER),
        TokenHashes.hash(PAYMENTS_OPERATOR));
  }

  /** Writes {@code yaml} to {@code dir/gateway.yaml} and starts the agent and its admin server. */
  public static AdminTestAgent start(Path dir, String yaml) throws Exception {
    return start(dir, yaml, true);
  }

  /** With {@code plaintext} false the admin block must configure TLS; no client channel is opened then. */
  public static AdminTestAgent start(Path dir, String yaml, boolean plaintext) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    AdminTestAgent agent = new AdminTestAgent(file, plaintext);
    agent.startAgain();
    return agent;
  }

  /** Starts the agent on the same config file (after {@link #stop}): state and audit are read back. */
  public void startAgain() throws Exception {
    ConfigResult result = ConfigLoader.load(file);
    GatewayConfig config = result.orThrow();
    runtime = GatewayRuntime.start(config, new GatewayRuntime.Options(file, TestRouting.FACTORY,
        Transport.best(), 2, Duration.ZERO));
    admin = Objects.requireNonNull(AdminStartup.start(runtime, config, file, Clock.systemUTC()));
    channel = plaintext ? AdminClients.plaintext(admin.port()) : null;
  }

  public void stop() throws InterruptedException {
    AdminClients.close(channel);
    admin.close();
    runtime.shutdown(Duration.ofSeconds(2));
  }

  public GatewayRuntime runtime() {
    return runtime;
  }

  public int adminPort() {
    return admin.port();
  }

  public int proxyPort() {
    return runtime.proxyAddresses().get(0).getPort();
  }

  public Path file() {
    return file;
  }

  public ManagedChannel channel() {
    return Objects.requireNonNull(channel, "no plaintext channel on a TLS admin listener");
  }

  /** The stub, calling with {@code token}. */
  public <S extends AbstractStub<S>> S as(String token, S stub) {
    return AdminClients.withToken(stub, token);
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
