package dev.sluice.agent.discovery;

import org.jspecify.annotations.Nullable;

/**
 * The answer of a Consul maintenance-mode call: done, or why not in one line (never containing the
 * token). A failed call changes nothing on the Sluice side; the caller decides whether to go on.
 */
public record MaintenanceResult(boolean done, @Nullable String error) {

  public static MaintenanceResult ok() {
    return new MaintenanceResult(true, null);
  }

  public static MaintenanceResult failed(String error) {
    return new MaintenanceResult(false, error);
  }
}
