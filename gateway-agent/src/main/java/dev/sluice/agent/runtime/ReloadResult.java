package dev.sluice.agent.runtime;

import dev.sluice.agent.config.Violation;
import java.util.List;

/** The outcome of one reload: applied (with the new version) or rejected with every violation. */
public record ReloadResult(boolean applied, long version, List<Violation> violations) {

    public ReloadResult {
        violations = List.copyOf(violations);
    }
}
