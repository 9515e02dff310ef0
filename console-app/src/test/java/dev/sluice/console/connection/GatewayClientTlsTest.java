package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.Role;
import dev.sluice.agent.admin.AdminTestAgent;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.console.support.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
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
  private static Path ca;
  private static CertificateFactory.PemFiles alice;
  private static AdminTestAgent agent;

  @BeforeAll
  static void startAgent() throws Exception {
    CertificateFactory.Issued authority = CertificateFactory.newCa("sluice-test-ca");
    ca = CertificateFactory.writeCertificate(dir.resolve("ca.crt.pem"), authority.certificate());
    CertificateFactory.newServer(authority).writeTo(dir, "server");
    alice = CertificateFactory.newClient(authority, "alice").writeTo(dir, "alice");
    agent = AdminTestAgent.start(dir, """
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
        """, false);
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.stop();
  }

  @Test
  void clientCertificateAttachesAndIsTheSessionsPrincipal() {
    RecordingListener seen = new RecordingListener();
    try (GatewayClient client = new GatewayClient(
        new GatewayTarget("127.0.0.1", agent.adminPort(), null).with(new GatewayTarget.Tls(
            true, ca, alice.certificate(), alice.privateKey()), false),
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
        new GatewayTarget("127.0.0.1", agent.adminPort(), null)
            .with(new GatewayTarget.Tls(true, ca, null, null), false),
        seen, Duration.ofMillis(200))) {
      client.start();

      await().atMost(CEILING).until(() -> !seen.states.isEmpty());
      await().during(Duration.ofSeconds(2)).atMost(CEILING)
          .until(() -> seen.phase() != ConnectionState.Phase.LIVE);
      assertThat(seen.snapshots).isEmpty();
    }
  }
}
