package dev.sluice.agent.control;

import dev.sluice.agent.config.Violation;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What became of a change: applied (or would be, on a dry run) or refused, and why. */
public sealed interface ChangeOutcome {

    /**
     * The change is in force at {@code version} (on a dry run: would be, and version is unchanged).
     *
     * @param beforeJson the target as JSON before the change; "" where it did not exist
     * @param afterJson the target as JSON after; "" where it no longer exists
     * @param expiresAt when an override set by this change ends by itself; null when it does not
     */
    record Applied(long version, String beforeJson, String afterJson, @Nullable Instant expiresAt,
                   List<String> warnings, boolean dryRun, boolean belowFloor) implements ChangeOutcome {
        public Applied {
            warnings = List.copyOf(warnings);
        }
    }

    /** Bad input; field paths are relative to the change, e.g. {@code route.match.path}, {@code ttl}. */
    record Invalid(List<Violation> violations) implements ChangeOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** The caller's expected version is stale. */
    record Conflict(long expectedVersion, long currentVersion) implements ChangeOutcome {
    }

    /** A drain would leave the service below its healthy-instance floor. */
    record FloorRefused(String service, int servingAfter, int totalInstances, double minHealthyPercent,
                        String message) implements ChangeOutcome {
    }

    /** The named service, instance, route or override does not exist. */
    record NotFound(String what) implements ChangeOutcome {
    }
}
