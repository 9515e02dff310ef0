package dev.sluice.agent.admin;

import dev.sluice.agent.admin.audit.AuditDraft;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.auth.AuthDenial;
import dev.sluice.agent.admin.auth.AuthInterceptor;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the audit log to the rest of the admin server: refused mutation attempts become
 * DENIED entries, and every entry is published as an event. Reads that were refused are counted
 * in the call metrics only, so that a scanner probing the port cannot flood the audit log.
 */
public final class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private AuditTrail() {}

  /**
   * A denial listener for {@link AdminServer.Builder#denialListener} that audits refused calls to
   * the mutating services. The target is the rpc ("rpc:ControlService/TripBreaker"): the request
   * has not been read when authentication refuses it.
   */
  public static Consumer<AuthDenial> auditDenials(AuditLog audit) {
    return denial -> {
      if (!AuthInterceptor.OPERATOR_SERVICES.contains("sluice.admin.v1." + denial.service())) {
        return;
      }
      String principal = denial.principal() == null ? "anonymous" : denial.principal().name();
      try {
        audit.append(AuditDraft.of(principal,
            denial.principal() == null ? null : denial.principal().role(), denial.method(),
            "rpc:" + denial.service() + "/" + denial.method(), "", AuditOutcome.DENIED,
            denial.code() + ": " + denial.message() + " (from " + denial.remoteAddress() + ")"));
      } catch (IOException e) {
        log.error("Could not audit a refused {} call by {}", denial.method(), principal, e);
      }
    };
  }

  /** Publishes every appended audit entry to the event log as an AUDIT event. */
  public static void publishEntries(AuditLog audit, EventLog events) {
    audit.addListener(entry -> events.append(new AgentEvent.AuditAppended(entry)));
  }
}
