package dev.sluice.agent.admin;

import dev.sluice.agent.admin.audit.AuditDraft;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.ChangeContext;
import dev.sluice.agent.control.ChangeOutcome;
import dev.sluice.agent.control.ControlListener;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.control.OverrideInfo;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, per target, the override in force and the audit entry that set it, and turns the
 * control plane's expiries into an EXPIRED audit entry (principal {@code sluice-agent}) and an
 * OverrideExpired event ("drain of users/users-2 expired, set by alice: deploy rollback"). Register
 * it with {@link GatewayControl#addListener}; call {@link #refresh} at start and after each admin change.
 */
public final class OverrideLedger implements ControlListener {

  private static final Logger log = LoggerFactory.getLogger(OverrideLedger.class);
  static final String AGENT = "sluice-agent";

  private final GatewayControl control;
  private final AuditLog audit;
  private final EventLog events;
  private final Map<String, OverrideInfo> overrides = new ConcurrentHashMap<>();
  private final Map<String, String> auditIds = new ConcurrentHashMap<>();

  public OverrideLedger(GatewayControl control, AuditLog audit, EventLog events) {
    this.control = control;
    this.audit = audit;
    this.events = events;
  }

  /** Reads every override in force (e.g. loaded from the state file at start). */
  public void refresh() {
    GatewayState state = control.state();
    overrides.clear();
    for (GatewayState.ServiceState service : state.services()) {
      if (service.breakerOverride() != null) {
        overrides.put("breaker:" + service.config().name(), service.breakerOverride());
      }
      for (GatewayState.InstanceState instance : service.instances()) {
        if (instance.drain() != null) {
          overrides.put("instance:" + service.config().name() + "/" + instance.id(), instance.drain());
        }
      }
    }
    for (GatewayState.RouteState route : state.routes()) {
      if (route.limitOverride() != null) {
        overrides.put("route:" + route.route().id(), route.limitOverride());
      }
    }
  }

  /** Records that the audit entry {@code entryId} applied a change to {@code target}. */
  void applied(String target, String entryId) {
    auditIds.put(target, entryId);
  }

  /** The audit entry of the last applied change to {@code target}, or null when unknown. */
  public @Nullable String auditEntryId(String target) {
    return auditIds.get(target);
  }

  @Override
  public void applied(ChangeContext context, Change change, ChangeOutcome.Applied outcome, boolean expired) {
    // No state() call here: the listener may run while the control plane finishes its swap.
    if (expired) {
      String target = change.target();
      recordExpiry(target, change, outcome, overrides.remove(target));
    }
  }

  private void recordExpiry(String target, Change change, ChangeOutcome.Applied outcome,
      @Nullable OverrideInfo ended) {
    String kind = target.startsWith("breaker:") ? "breaker"
        : target.startsWith("instance:") ? "drain" : "rate-limit";
    String name = target.substring(target.indexOf(':') + 1);
    String setBy = ended == null ? "unknown" : ended.setBy();
    String reason = ended == null ? "" : ended.reason();
    String message = kind + " of " + name + " expired"
        + (ended == null || ended.expiresAt() == null ? ""
            : " after " + dev.sluice.agent.config.Durations.format(
                java.time.Duration.between(ended.setAt(), ended.expiresAt())))
        + ", set by " + setBy + (reason.isEmpty() ? "" : ": " + reason);
    String setterEntryId = auditIds.get(target);
    AuditEntry entry = null;
    try {
      entry = audit.append(new AuditDraft(AGENT, null, "Expire", target,
          "time-to-live ended", ended == null ? null : ended.incidentId(),
          emptyToNull(outcome.beforeJson()), emptyToNull(outcome.afterJson()), 0, outcome.version(),
          AuditOutcome.EXPIRED, message, null, false));
      auditIds.put(target, entry.id());
    } catch (IOException e) {
      log.error("Could not audit the expiry of {}", target, e);
    }
    dev.sluice.agent.admin.state.OverrideInfo info = new dev.sluice.agent.admin.state.OverrideInfo(
        setBy, reason, ended == null ? null : ended.incidentId(),
        ended == null ? java.time.Instant.EPOCH : ended.setAt(), ended == null ? null : ended.expiresAt(),
        setterEntryId);
    events.append(new AgentEvent.OverrideExpired(kind, name, info, entry == null ? null : entry.id()));
    log.info("{} ({})", message, change.getClass().getSimpleName());
  }

  private static @Nullable String emptyToNull(String json) {
    return json.isEmpty() ? null : json;
  }
}
