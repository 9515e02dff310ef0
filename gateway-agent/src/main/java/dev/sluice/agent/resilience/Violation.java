package dev.sluice.agent.resilience;

import java.util.Objects;

/**
 * One problem found while validating settings: the field's path (relative to the settings object,
 * e.g. {@code "windowSize"}) and what is wrong with it in words an operator understands.
 */
public record Violation(String path, String message) {

  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** The same violation with {@code prefix + "."} in front of its path, for nesting in a config tree. */
  public Violation under(String prefix) {
    return new Violation(prefix.isEmpty() ? path : prefix + "." + path, message);
  }
}
