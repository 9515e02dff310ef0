package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.Role;
import dev.sluice.agent.admin.AgentAdmin;
import dev.sluice.agent.cli.AdminStartup;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.RouterResolverFactory;
import dev.sluice.agent.runtime.Transport;
import dev.sluice.console.support.RecordingListener;
import dev.sluice.console.support.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over TLS with a client certificate (mTLS) to a real agent whose admin listener
 * requires one: the certificate is the session's principal, and no certificate means no session.
 */
class GatewayClientTlsTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @TempDir
  static Path dir;
  private static TestCertificates tls;
  private static GatewayRuntime runtime;
  private static AgentAdmin admin;

  @BeforeAll
  static void startAgent() throws Exception {
    tls = TestCertificates.in(dir);
    tls.client("alice");
    Path file = Files.writeString(dir.resolve("gateway.yaml"), """
        accessLog: {enabled: false}
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        services: [{name: users, instances: [{host: 127.0.0.1, port: 9}]}]
        routes: [{id: users, match: {path: /users}, service: users}]
        admin:
          host: 127.0.0.1
          port: 0
          tls: {cert: server.crt.pem, key: server.key.pem, clientCa: ca.crt.pem, clientAuth: require}
          clientCertificates:
            - {subject: "CN=alice", role: operator, scope: {services: [users]}}
        """);
    GatewayConfig config = ConfigLoader.load(file).orThrow();
    runtime = GatewayRuntime.start(config, new GatewayRuntime.Options(file,
        new RouterResolverFactory(), Transport.best(), 1, Duration.ZERO));
    admin = Objects.requireNonNull(AdminStartup.start(runtime, config, file, Clock.systemUTC()));
  }

  @AfterAll
  static void stopAgent() {
    admin.close();
    runtime.shutdown(Duration.ZERO);
  }

  @Test
  void clientCertificateAttachesAndIsTheSessionsPrincipal() {
    RecordingListener seen = new RecordingListener();
    try (GatewayClient client = new GatewayClient(
        new GatewayTarget("127.0.0.1", admin.port(), null).with(new GatewayTarget.Tls(
            true, tls.ca(), tls.certificate("alice"), tls.key("alice")), false),
        seen, Duration.ofMillis(200))) {
      client.start();

      await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
      assertThat(seen.sessions).singleElement().satisfies(s -> {
        assertThat(s.getPrincipal()).isEqualTo("CN=alice");
        assertThat(s.getRole()).isEqualTo(Role.ROLE_OPERATOR);
        assertThat(s.getScope().getServicesList()).containsExactly("users");
      });
      assertThat(seen.lastSnapshot().getRoutesList()).extracting(r -> r.getId())
          .containsExactly("users");
    }
  }

  @Test
  void withoutAClientCertificateTheAgentAttachesNothing() {
    RecordingListener seen = new RecordingListener();
    try (GatewayClient client = new GatewayClient(
        new GatewayTarget("127.0.0.1", admin.port(), null)
            .with(new GatewayTarget.Tls(true, tls.ca(), null, null), false),
        seen, Duration.ofMillis(200))) {
      client.start();

      await().atMost(CEILING).until(() -> !seen.states.isEmpty());
      await().during(Duration.ofSeconds(2)).atMost(CEILING)
          .until(() -> seen.phase() != ConnectionState.Phase.LIVE);
      assertThat(seen.snapshots).isEmpty();
    }
  }
}
