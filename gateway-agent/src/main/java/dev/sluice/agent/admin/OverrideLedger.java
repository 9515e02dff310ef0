package dev.sluice.agent.admin;

import dev.sluice.agent.admin.audit.AuditDraft;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.audit.AuditPage;
import dev.sluice.agent.admin.audit.AuditQuery;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.state.OverrideInfo;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.ChangeOutcome;
import dev.sluice.agent.control.ExpiryRecorder;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.control.GatewayState;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links each override in force to the audit entry that set it, and records the control plane's
 * expiries as EXPIRED audit entries (principal {@code sluice-agent}) whose message and event say
 * "drain of users/users-2 expired after 30m, set by alice: deploy rollback". The link is found again
 * in the audit log after a restart. Install it with {@link GatewayControl#recordExpiriesWith} after
 * {@link #refresh}; call {@link #applied(String, String)} after each audited admin change.
 */
public final class OverrideLedger implements ExpiryRecorder {

  private static final Logger log = LoggerFactory.getLogger(OverrideLedger.class);
  static final String AGENT = "sluice-agent";
  /** How many audit entries a restart reads back at most to find who set an override. */
  private static final int LOOKBACK_ENTRIES = 20_000;

  private final GatewayControl control;
  private final AuditLog audit;
  private final Map<String, String> auditIds = new ConcurrentHashMap<>();
  /** Overrides (target and setAt) already looked for in the audit log, found or not. */
  private final java.util.Set<String> searched = ConcurrentHashMap.newKeySet();

  public OverrideLedger(GatewayControl control, AuditLog audit) {
    this.control = control;
    this.audit = audit;
  }

  /**
   * Finds, for every override in force whose setting entry is not known yet (after a restart), the
   * audit entry that set it: the first applied entry on its target at or after the override's
   * {@code setAt}.
   */
  public void refresh() {
    GatewayState state = control.state();
    Map<String, Instant> unknown = new HashMap<>();
    for (GatewayState.ServiceState service : state.services()) {
      note(unknown, "breaker:" + service.config().name(), service.breakerOverride());
      for (GatewayState.InstanceState instance : service.instances()) {
        note(unknown, "instance:" + service.config().name() + "/" + instance.id(), instance.drain());
      }
    }
    for (GatewayState.RouteState route : state.routes()) {
      note(unknown, "route:" + route.route().id(), route.limitOverride());
    }
    if (!unknown.isEmpty()) {
      findSetters(unknown);
    }
  }

  private void note(Map<String, Instant> unknown, String target,
      dev.sluice.agent.control.@Nullable OverrideInfo override) {
    if (override != null && !auditIds.containsKey(target)
        && searched.add(target + "@" + override.setAt())) {
      unknown.put(target, override.setAt());
    }
  }

  /** Reads the audit log newest first, keeping per target the oldest applied entry not before setAt. */
  private void findSetters(Map<String, Instant> unknown) {
    Map<String, String> found = new HashMap<>();
    AuditQuery query = AuditQuery.newest(AuditQuery.MAX_PAGE_SIZE);
    Instant earliest = unknown.values().stream().min(Instant::compareTo).orElseThrow();
    int read = 0;
    try {
      while (read < LOOKBACK_ENTRIES) {
        AuditPage page = audit.list(query);
        for (AuditEntry entry : page.entries()) {
          read++;
          if (entry.time().isBefore(earliest)) {
            found.forEach(auditIds::putIfAbsent);
            return;
          }
          Instant setAt = unknown.get(entry.target());
          if (setAt != null && entry.outcome() == AuditOutcome.APPLIED && !entry.time().isBefore(setAt)) {
            found.put(entry.target(), entry.id());
          }
        }
        if (page.nextPageToken().isEmpty()) {
          break;
        }
        query = query.withPageToken(page.nextPageToken());
      }
    } catch (IOException e) {
      log.warn("Could not read the audit log back to link overrides to their entries", e);
    }
    found.forEach(auditIds::putIfAbsent);
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
  public AgentEvent.OverrideExpired record(Change change, ChangeOutcome.Applied outcome,
      AgentEvent.OverrideExpired expiry) {
    String target = change.target();
    OverrideInfo ended = expiry.expired();
    if (ended.auditEntryId() == null && !auditIds.containsKey(target)
        && searched.add(target + "@" + ended.setAt())) {
      // Expired before this ledger saw it in force: at start, for a deadline passed while stopped.
      findSetters(Map.of(target, ended.setAt()));
    }
    String setterEntryId = ended.auditEntryId() != null ? ended.auditEntryId() : auditIds.get(target);
    OverrideInfo linked = new OverrideInfo(ended.setBy(), ended.reason(), ended.incidentId(),
        ended.setAt(), ended.expiresAt(), setterEntryId);
    AgentEvent.OverrideExpired event =
        new AgentEvent.OverrideExpired(expiry.overrideKind(), expiry.target(), linked, null);
    String message = event.summary();
    try {
      AuditEntry entry = audit.append(new AuditDraft(AGENT, null, "Expire", target,
          "time-to-live ended", ended.incidentId(), emptyToNull(outcome.beforeJson()),
          emptyToNull(outcome.afterJson()), 0, outcome.version(), AuditOutcome.EXPIRED, message,
          setterEntryId, false));
      auditIds.put(target, entry.id());
      event = new AgentEvent.OverrideExpired(expiry.overrideKind(), expiry.target(), linked, entry.id());
    } catch (IOException e) {
      log.error("Could not audit the expiry of {}", target, e);
    }
    log.info("{}", message);
    return event;
  }

  private static @Nullable String emptyToNull(String json) {
    return json.isEmpty() ? null : json;
  }
}
