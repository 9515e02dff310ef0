package dev.sluice.agent.admin.events;

import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.state.OverrideInfo;
import dev.sluice.agent.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened on the agent, as published to the {@link EventLog}. Every variant is an
 * immutable record and carries a one-line summary an operator can read.
 */
public sealed interface AgentEvent {

  EventKind kind();

  /** One line an operator can read, e.g. "breaker users opened: failure rate 62% ≥ 50%". */
  String summary();

  /** Where a config change came from. */
  enum ChangeSource { STARTUP, FILE_RELOAD, ADMIN, EXPIRY, REGISTRY }

  /** The state a breaker computes from traffic. */
  enum BreakerPhase { CLOSED, OPEN, HALF_OPEN }

  /** An operator's override of a breaker. */
  enum BreakerOverrideMode { NONE, FORCED_OPEN, FORCED_CLOSED }

  /** A new config version is in force. */
  record ConfigChanged(
      long previousVersion,
      long version,
      ChangeSource source,
      List<String> routes,
      List<String> services,
      @Nullable String auditEntryId)
      implements AgentEvent {
    public ConfigChanged {
      routes = List.copyOf(routes);
      services = List.copyOf(services);
      Objects.requireNonNull(source, "source");
    }

    @Override
    public EventKind kind() {
      return EventKind.CONFIG_CHANGED;
    }

    @Override
    public String summary() {
      return "config version " + previousVersion + " → " + version + " ("
          + source.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
    }
  }

  /** A breaker's computed state changed. */
  record BreakerTransition(
      String service,
      BreakerPhase from,
      BreakerPhase to,
      BreakerOverrideMode override,
      String cause)
      implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.BREAKER_TRANSITION;
    }

    @Override
    public String summary() {
      return "breaker " + service + " " + from.name().toLowerCase(Locale.ROOT) + " → "
          + to.name().toLowerCase(Locale.ROOT) + ": " + cause;
    }
  }

  /** An instance started or stopped serving. */
  record HealthChanged(String service, String instanceId, boolean serving, String reason)
      implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.HEALTH_CHANGED;
    }

    @Override
    public String summary() {
      return service + "/" + instanceId + (serving ? " serving" : " not serving") + ": " + reason;
    }
  }

  /** An instance was drained or undrained; {@code drain} is present while drained. */
  record DrainChanged(
      String service, String instanceId, boolean drained, @Nullable OverrideInfo drain)
      implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.DRAIN_CHANGED;
    }

    @Override
    public String summary() {
      String who = drain == null ? "" : " by " + drain.setBy() + ": " + drain.reason();
      return service + "/" + instanceId + (drained ? " drained" : " undrained") + who;
    }
  }

  /** An entry was appended to the audit log. */
  record AuditAppended(AuditEntry entry) implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.AUDIT;
    }

    @Override
    public String summary() {
      return entry.id() + " " + entry.outcome().name().toLowerCase(Locale.ROOT) + ": "
          + entry.rpc() + " " + entry.target() + " by " + entry.principal();
    }
  }

  /**
   * An override's time-to-live ended and the agent reverted it by itself.
   *
   * @param overrideKind "breaker", "drain" or "rate-limit"
   * @param target service, "service/instance" or route id
   */
  record OverrideExpired(
      String overrideKind, String target, OverrideInfo expired, @Nullable String auditEntryId)
      implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.OVERRIDE_EXPIRED;
    }

    /**
     * "drain of users/users-2 expired after 30m, set by alice: deploy rollback": what ended, how
     * long it had been set for, and who set it why.
     */
    @Override
    public String summary() {
      Instant end = expired.expiresAt();
      return overrideKind + " of " + target + " expired"
          + (end == null ? "" : " after " + Durations.format(Duration.between(expired.setAt(), end)))
          + ", set by " + expired.setBy() + (expired.reason().isEmpty() ? "" : ": " + expired.reason());
    }
  }

  /** The registry of a service became unreachable (last known instances kept) or came back. */
  record RegistryStale(String service, boolean stale, String error) implements AgentEvent {
    @Override
    public EventKind kind() {
      return EventKind.REGISTRY_STALE;
    }

    @Override
    public String summary() {
      return stale ? "registry for " + service + " stale: " + error
          : "registry for " + service + " reachable again";
    }
  }
}
