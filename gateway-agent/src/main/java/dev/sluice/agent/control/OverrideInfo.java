package dev.sluice.agent.control;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Who put an override in place, why, and when it ends by itself (null: until undone). */
public record OverrideInfo(String setBy, String reason, @Nullable String incidentId, Instant setAt,
                           @Nullable Instant expiresAt) {
}
