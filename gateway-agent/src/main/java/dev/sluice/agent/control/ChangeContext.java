package dev.sluice.agent.control;

import org.jspecify.annotations.Nullable;

/**
 * Who asks for a change, why, and on which version it was based.
 *
 * @param principal token name or certificate subject, or {@code "sluice-agent"} for the agent's own changes
 * @param role the caller's role name as audited ({@code viewer}, {@code operator}, {@code agent})
 * @param reason why, in the operator's words; required (blank → {@link ChangeOutcome.Invalid})
 * @param expectedVersion the version the caller saw; 0 skips the check
 * @param dryRun run every check and apply nothing
 */
public record ChangeContext(
        String principal,
        String role,
        String reason,
        @Nullable String incidentId,
        long expectedVersion,
        boolean dryRun) {
}
