package dev.sluice.agent.health;

/**
 * An instance's state as its active health check sees it. UNKNOWN (not yet decided) does not keep an
 * instance from serving; only UNHEALTHY does.
 */
public enum CheckState {
  UNKNOWN,
  HEALTHY,
  UNHEALTHY
}
