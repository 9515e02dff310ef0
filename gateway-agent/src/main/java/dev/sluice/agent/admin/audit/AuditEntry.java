package dev.sluice.agent.admin.audit;

import dev.sluice.agent.admin.auth.Role;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit log: a mutation attempt, applied or refused. Ids ("a-000123") increase
 * with every entry, also across agent restarts, so they order entries.
 */
public record AuditEntry(
    String id,
    Instant time,
    String principal,
    @Nullable Role role,
    String rpc,
    String target,
    String reason,
    @Nullable String incidentId,
    @Nullable String beforeJson,
    @Nullable String afterJson,
    long expectedVersion,
    long resultingVersion,
    AuditOutcome outcome,
    String message,
    @Nullable String revertsEntryId,
    boolean belowFloor) {

  static AuditEntry of(String id, Instant time, AuditDraft d) {
    return new AuditEntry(id, time, d.principal(), d.role(), d.rpc(), d.target(), d.reason(),
        d.incidentId(), d.beforeJson(), d.afterJson(), d.expectedVersion(), d.resultingVersion(),
        d.outcome(), d.message(), d.revertsEntryId(), d.belowFloor());
  }

  /** The number inside the id ("a-000123" → 123), or -1 when the id is not one the log issued. */
  public static long numberOf(String id) {
    if (!id.startsWith("a-") || id.length() < 3) {
      return -1;
    }
    try {
      return Long.parseLong(id.substring(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String idFor(long number) {
    return String.format(Locale.ROOT, "a-%06d", number);
  }
}
