package dev.sluice.agent.admin.events;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one read of the {@link EventLog} returned: an optional gap (always before the events),
 * the events in sequence order, and the sequence to read next.
 */
public record EventBatch(@Nullable EventGap gap, List<SequencedEvent> events, long nextSequence) {

  public EventBatch {
    events = List.copyOf(events);
  }

  public boolean isEmpty() {
    return gap == null && events.isEmpty();
  }
}
