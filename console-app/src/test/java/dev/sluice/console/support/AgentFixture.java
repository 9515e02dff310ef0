package dev.sluice.console.support;

import dev.sluice.agent.admin.AgentAdmin;
import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.cli.AdminStartup;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.RouterResolverFactory;
import dev.sluice.agent.runtime.Transport;
import dev.sluice.console.connection.GatewayTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A real gateway agent with its admin server on loopback (random ports), started from a config
 * file in a fresh directory, for console tests that must talk to the real thing. Tokens: {@link
 * #OPERATOR} may set overrides without a time-to-live, {@link #VIEWER} only reads.
 */
public final class AgentFixture implements AutoCloseable {
  public static final String OPERATOR = "console-op-7b3e19c4d2a85f60";
  public static final String VIEWER = "console-view-5a81c0e4f7d2b913";

  /**
   * Two services (users with two instances and a 60 % healthy-instance floor, so draining one of
   * them is refused; orders with one) and three routes.
   */
  public static final String ROUTES = """
      services:
        - name: users
          minHealthyPercent: 60
          instances: [{id: users-1, host: 127.0.0.1, port: 9}, {id: users-2, host: 127.0.0.1, port: 9}]
        - name: orders
          instances: [{id: orders-1, host: 127.0.0.1, port: 9}]
      routes:
        - {id: users-get, match: {path: /api/users/:id, methods: [GET]}, service: users,
           rateLimit: {requestsPerSecond: 100, burst: 20}}
        - {id: users-list, match: {path: /api/users, methods: [GET]}, service: users}
        - {id: orders, match: {path: /api/orders/*rest}, service: orders}
      """;

  private final GatewayRuntime runtime;
  private final AgentAdmin admin;

  private AgentFixture(GatewayRuntime runtime, AgentAdmin admin) {
    this.runtime = runtime;
    this.admin = admin;
  }

  /** Starts an agent of {@code cluster} serving {@link #ROUTES}. */
  public static AgentFixture start(String agentId, String cluster) throws Exception {
    Path dir = Files.createTempDirectory("sluice-console-agent");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        agent: {id: %s, cluster: %s, maxOverrideTtl: 2h}
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        """.formatted(agentId, cluster) + ROUTES + """
        admin:
          host: 127.0.0.1
          port: 0
          tokens:
            - {name: olivia, sha256: %s, role: operator, permissions: [permanent-override]}
            - {name: vera, sha256: %s, role: viewer}
        """.formatted(TokenHashes.hash(OPERATOR), TokenHashes.hash(VIEWER)),
        StandardCharsets.UTF_8);
    GatewayConfig config = ConfigLoader.load(file).orThrow();
    GatewayRuntime runtime = GatewayRuntime.start(config, new GatewayRuntime.Options(file,
        new RouterResolverFactory(), Transport.best(), 1, Duration.ZERO));
    AgentAdmin admin = Objects.requireNonNull(
        AdminStartup.start(runtime, config, file, Clock.systemUTC()));
    return new AgentFixture(runtime, admin);
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

  /**
   * Another operator's change through the admin API, as a second console would make it: a new rate
   * limit on users-get (90/s, a different rate each time). Moves the config version on.
   */
  public long changeAsSomeoneElse() {
    io.grpc.ManagedChannel channel = AdminChannels.open("127.0.0.1", admin.port(), OPERATOR);
    try {
      return dev.sluice.admin.v1.ControlServiceGrpc.newBlockingStub(channel)
          .setRateLimit(dev.sluice.admin.v1.SetRateLimitRequest.newBuilder()
              .setContext(dev.sluice.admin.v1.ChangeContext.newBuilder().setReason("someone else"))
              .setRouteId("users-get")
              .setLimit(dev.sluice.admin.v1.RateLimit.newBuilder()
                  .setRequestsPerSecond(90 + runtime.control().version()).setBurst(9))
              .build())
          .getVersion();
    } finally {
      channel.shutdownNow();
    }
  }

  /** Where a console attaches, with {@code token}. */
  public GatewayTarget target(String token) {
    return new GatewayTarget("127.0.0.1", admin.port(), token);
  }

  @Override
  public void close() {
    admin.close();
    runtime.shutdown(Duration.ofSeconds(2));
  }
}
