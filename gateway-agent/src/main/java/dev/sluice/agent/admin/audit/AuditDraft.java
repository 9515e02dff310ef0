package dev.sluice.agent.admin.audit;

import dev.sluice.agent.admin.auth.Role;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An audit entry before the log gives it an id and a time. {@code beforeJson} and {@code afterJson}
 * are JSON documents of the target (null where it did not exist); never put credentials in any
 * field — the log is read by every viewer.
 *
 * @param principal token name or certificate subject ("anonymous" when the caller was not
 *     authenticated)
 * @param role null when the caller was not authenticated
 * @param target what was changed, e.g. "breaker:users", "instance:users/users-2", "route:users-get"
 */
public record AuditDraft(
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

  public AuditDraft {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
  }

  /** A minimal draft; the remaining fields are empty, 0 or false. */
  public static AuditDraft of(
      String principal, @Nullable Role role, String rpc, String target, String reason,
      AuditOutcome outcome, String message) {
    return new AuditDraft(principal, role, rpc, target, reason, null, null, null, 0, 0, outcome,
        message, null, false);
  }
}
