package dev.sluice.agent.admin.events;

import java.time.Instant;

/** An {@link AgentEvent} as stored in the {@link EventLog}: its sequence number and time. */
public record SequencedEvent(long sequence, Instant time, AgentEvent event) {

  public EventKind kind() {
    return event.kind();
  }
}
