package dev.sluice.agent.admin.events;

/** The kinds of {@link AgentEvent}, used to filter what a watcher or a query receives. */
public enum EventKind {
  CONFIG_CHANGED,
  BREAKER_TRANSITION,
  HEALTH_CHANGED,
  DRAIN_CHANGED,
  AUDIT,
  OVERRIDE_EXPIRED,
  REGISTRY_STALE
}
