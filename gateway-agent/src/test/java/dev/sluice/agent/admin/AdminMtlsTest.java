package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuthMethod;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.Session;
import dev.sluice.agent.cli.Main;
import dev.sluice.agent.cli.ctl.CtlExit;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agent's admin listener configured for mTLS from its config file, with client certificates mapped to roles. */
class AdminMtlsTest {

  @TempDir
  static Path dir;

  private static TestBackend backend;
  private static AdminTestAgent agent;
  private static Path ca;
  private static PemFiles alice;
  private static PemFiles expired;

  @BeforeAll
  static void start() throws Exception {
    CertificateFactory.Issued authority = CertificateFactory.newCa("sluice-test-ca");
    ca = CertificateFactory.writeCertificate(dir.resolve("ca.crt.pem"), authority.certificate());
    PemFiles server = CertificateFactory.newServer(authority).writeTo(dir, "server");
    alice = CertificateFactory.newClient(authority, "alice").writeTo(dir, "alice");
    expired = CertificateFactory.newExpiredClient(authority, "alice").writeTo(dir, "expired");
    backend = TestBackend.start("users");
    agent = AdminTestAgent.start(dir, """
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        services: [{name: users, instances: [{host: 127.0.0.1, port: %d}]}]
        routes: [{id: users, match: {path: /users}, service: users}]
        admin:
          host: 127.0.0.1
          port: 0
          tls: {cert: server.crt.pem, key: server.key.pem, clientCa: ca.crt.pem, clientAuth: require}
          clientCertificates:
            - {subject: "CN=alice", role: operator, scope: {services: [users]}}
        """.formatted(backend.port()), false);
  }

  @AfterAll
  static void stop() throws Exception {
    agent.close();
    backend.close();
  }

  @Test
  void aMappedClientCertificateIsTheSessionsPrincipal() throws Exception {
    ManagedChannel channel = AdminClients.tls(agent.adminPort(), ca, alice);
    try {
      Session session = AgentServiceGrpc.newBlockingStub(channel).getSession(GetSessionRequest.getDefaultInstance());

      assertThat(session.getPrincipal()).isEqualTo("CN=alice");
      assertThat(session.getRole()).isEqualTo(Role.ROLE_OPERATOR);
      assertThat(session.getAuthMethod()).isEqualTo(AuthMethod.AUTH_METHOD_CLIENT_CERTIFICATE);
      assertThat(session.getScope().getServicesList()).containsExactly("users");
    } finally {
      AdminClients.close(channel);
    }
  }

  @Test
  void anExpiredClientCertificateOrNoneIsRefused() throws Exception {
    for (PemFiles client : new PemFiles[] {expired, null}) {
      ManagedChannel channel = AdminClients.tls(agent.adminPort(), ca, client);
      try {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
            AgentServiceGrpc.newBlockingStub(channel).getSession(GetSessionRequest.getDefaultInstance()));
        assertThat(e).isNotNull();
      } finally {
        AdminClients.close(channel);
      }
    }
  }

  @Test
  void ctlConnectsWithTheClientCertificate() {
    StringWriter out = new StringWriter();
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    int exit = command.execute("ctl", "--target", "localhost:" + agent.adminPort(), "--ca", ca.toString(),
        "--cert", alice.certificate().toString(), "--key", alice.privateKey().toString(), "status");

    assertThat(exit).isEqualTo(CtlExit.OK);
    assertThat(out.toString()).contains("CN=alice, operator");
  }
}
