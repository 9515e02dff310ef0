package dev.sluice.agent.admin.state;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who put a runtime change in place, why, and when it ends by itself. {@code expiresAt} is an
 * absolute deadline (never a remaining duration), so an expiry survives a restart unchanged;
 * it is null for a permanent override.
 */
public record OverrideInfo(
    String setBy,
    String reason,
    @Nullable String incidentId,
    Instant setAt,
    @Nullable Instant expiresAt,
    @Nullable String auditEntryId) {

  public OverrideInfo {
    Objects.requireNonNull(setBy, "missing setBy");
    Objects.requireNonNull(reason, "missing reason");
    Objects.requireNonNull(setAt, "missing setAt");
  }

  /** True when the override has a deadline and {@code now} is at or past it. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
