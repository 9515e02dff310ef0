package dev.sluice.agent.admin.audit;

/** How a mutation attempt ended, as recorded in the audit log. */
public enum AuditOutcome {
  /** The change was applied. */
  APPLIED,
  /** Refused for lack of role, permission or scope. */
  DENIED,
  /** Refused as invalid input. */
  INVALID,
  /** Refused because the expected version was stale. */
  CONFLICT,
  /** Refused by a safety rule (healthy-instance floor, TTL above the maximum, ...). */
  REFUSED,
  /** Applied by the agent itself because an override's time-to-live ended. */
  EXPIRED,
  /** Only validated; nothing applied. */
  VALIDATED
}
