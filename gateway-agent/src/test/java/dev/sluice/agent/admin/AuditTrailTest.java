package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditLogOptions;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.audit.AuditQuery;
import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.admin.events.SequencedEvent;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

  private static final String VIEWER_TOKEN = "audit-trail-viewer-token-93ab";

  @TempDir Path dir;

  @Test
  void refusedMutationIsAuditedAndPublishedWithoutTheToken() throws Exception {
    EventLog events = new EventLog(100, Clock.systemUTC());
    try (AuditLog audit = AuditLog.open(dir.resolve("audit.log"), AuditLogOptions.DEFAULTS,
        Clock.systemUTC())) {
      AuditTrail.publishEntries(audit, events);
      Authenticator authenticator = new Authenticator(List.of(new TokenGrant("vera",
          TokenHashes.hash(VIEWER_TOKEN), Role.VIEWER, Scope.UNRESTRICTED, Set.of())), List.of());
      try (AdminServer server = AdminServer.builder(AdminServerConfig.loopbackPlaintext(),
              authenticator, new SimpleMeterRegistry())
          .addService(new ControlServiceGrpc.ControlServiceImplBase() { })
          .addService(new AgentServiceGrpc.AgentServiceImplBase() { })
          .denialListener(AuditTrail.auditDenials(audit))
          .shutdownGrace(Duration.ofMillis(200)).start()) {
        ManagedChannel channel = AdminClients.plaintext(server.port());
        try {
          var control = AdminClients.withToken(ControlServiceGrpc.newBlockingStub(channel),
              VIEWER_TOKEN);
          assertThatThrownBy(() -> control.tripBreaker(
              TripBreakerRequest.newBuilder().setService("users").build()))
              .isInstanceOf(StatusRuntimeException.class);
          var agent = AgentServiceGrpc.newBlockingStub(channel);
          assertThatThrownBy(() -> agent.getSession(GetSessionRequest.getDefaultInstance()))
              .isInstanceOf(StatusRuntimeException.class);
        } finally {
          AdminClients.close(channel);
        }
      }

      List<AuditEntry> entries = audit.list(AuditQuery.newest(10)).entries();
      assertThat(entries).singleElement().satisfies(entry -> {
        assertThat(entry.outcome()).isEqualTo(AuditOutcome.DENIED);
        assertThat(entry.principal()).isEqualTo("vera");
        assertThat(entry.role()).isEqualTo(Role.VIEWER);
        assertThat(entry.rpc()).isEqualTo("TripBreaker");
        assertThat(entry.target()).isEqualTo("rpc:ControlService/TripBreaker");
        assertThat(entry.message()).startsWith("PERMISSION_DENIED: role viewer may not call");
      });
      assertThat(Files.readString(audit.file())).doesNotContain(VIEWER_TOKEN)
          .doesNotContain(TokenHashes.hash(VIEWER_TOKEN));
      assertThat(events.read(1, 10).events()).extracting(SequencedEvent::event)
          .singleElement().isInstanceOfSatisfying(AgentEvent.AuditAppended.class,
              e -> assertThat(e.entry().id()).isEqualTo(entries.get(0).id()));
    }
  }
}
