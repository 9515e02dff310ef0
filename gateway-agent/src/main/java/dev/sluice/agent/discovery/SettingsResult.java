package dev.sluice.agent.discovery;

import dev.sluice.agent.config.Violation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings read from a YAML block: the settings when the block is usable, and every violation found
 * (types, unknown fields, ranges) with paths under the prefix the caller gave.
 */
public record SettingsResult<T>(@Nullable T settings, List<Violation> violations) {

  public SettingsResult {
    violations = List.copyOf(violations);
    if (!violations.isEmpty()) {
      settings = null;
    }
  }

  public boolean isValid() {
    return violations.isEmpty();
  }
}
