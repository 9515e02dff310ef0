package dev.sluice.console.support;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.agent.admin.AdminClients;
import dev.sluice.agent.admin.AdminTestAgent;
import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.console.connection.GatewayTarget;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import java.nio.file.Files;

/**
 * A real gateway agent with its admin server on loopback (random ports), started from a config
 * file in a fresh directory by the agent's own {@link AdminTestAgent}, for console tests that must
 * talk to the real thing. Tokens: {@link #OPERATOR} may set overrides without a time-to-live,
 * {@link #VIEWER} only reads.
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

  private final AdminTestAgent agent;

  private AgentFixture(AdminTestAgent agent) {
    this.agent = agent;
  }

  /** Starts an agent of {@code cluster} serving {@link #ROUTES}. */
  public static AgentFixture start(String agentId, String cluster) throws Exception {
    return new AgentFixture(AdminTestAgent.start(Files.createTempDirectory("sluice-console-agent"),
        """
        agent: {id: %s, cluster: %s, maxOverrideTtl: 2h}
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        """.formatted(agentId, cluster) + ROUTES + """
        admin:
          host: 127.0.0.1
          port: 0
          tokens:
            - {name: olivia, sha256: %s, role: operator, permissions: [permanent-override]}
            - {name: vera, sha256: %s, role: viewer}
        """.formatted(TokenHashes.hash(OPERATOR), TokenHashes.hash(VIEWER))));
  }

  public GatewayRuntime runtime() {
    return agent.runtime();
  }

  public int adminPort() {
    return agent.adminPort();
  }

  public int proxyPort() {
    return agent.proxyPort();
  }

  /** The agent's admin API over plaintext, calling with {@code token}; the fixture closes it. */
  public Channel channel(String token) {
    return ClientInterceptors.intercept(agent.channel(), AdminClients.bearer(token));
  }

  /**
   * Another operator's change through the admin API, as a second console would make it: a new rate
   * limit on users-get (90/s, a different rate each time). Moves the config version on.
   */
  public long changeAsSomeoneElse() {
    return agent.as(OPERATOR, ControlServiceGrpc.newBlockingStub(agent.channel()))
        .setRateLimit(SetRateLimitRequest.newBuilder()
            .setContext(ChangeContext.newBuilder().setReason("someone else"))
            .setRouteId("users-get")
            .setLimit(RateLimit.newBuilder()
                .setRequestsPerSecond(90 + runtime().control().version()).setBurst(9))
            .build())
        .getVersion();
  }

  /** Where a console attaches, with {@code token}. */
  public GatewayTarget target(String token) {
    return new GatewayTarget("127.0.0.1", agent.adminPort(), token);
  }

  @Override
  public void close() {
    try {
      agent.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
