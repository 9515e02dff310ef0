package dev.sluice.agent.discovery;

/**
 * An instance's health as its registry reports it (Consul's aggregated check status); instances from
 * the config file are always {@link #PASSING}. PASSING and WARNING serve, CRITICAL does not.
 */
public enum RegistryHealth {
  PASSING,
  WARNING,
  CRITICAL;

  /** Whether the registry allows traffic to an instance in this state. */
  public boolean serves() {
    return this != CRITICAL;
  }
}
