package dev.sluice.agent.admin.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, in-memory log of {@link AgentEvent}s with a sequence number that increases by one per
 * event. {@link #append} is lock-free and never waits for a reader, so the event loop and the
 * control plane may publish directly; when the log is full the oldest event is evicted, and a
 * reader that asks for an evicted sequence is told so with an {@link EventGap}.
 */
public final class EventLog {

  public static final int DEFAULT_CAPACITY = 10_000;

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final int capacity;
  private final Clock clock;
  private final AtomicReferenceArray<@Nullable SequencedEvent> ring;
  /** The last sequence handed out; events up to it may still be in the middle of being stored. */
  private final AtomicLong lastSequence = new AtomicLong();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public EventLog(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
    this.ring = new AtomicReferenceArray<>(capacity);
  }

  public EventLog() {
    this(DEFAULT_CAPACITY, Clock.systemUTC());
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Stores the event under the next sequence number and wakes the subscribers. Listeners only get a
   * signal (they must not do work on the caller's thread), so the appender never waits for them.
   */
  public SequencedEvent append(AgentEvent event) {
    long sequence = lastSequence.incrementAndGet();
    SequencedEvent stored = new SequencedEvent(sequence, clock.instant(), event);
    int slot = slot(sequence);
    while (true) {
      SequencedEvent current = ring.get(slot);
      // A writer that lapped us by a whole ring already stored a newer event here; keep it.
      if (current != null && current.sequence() > sequence) {
        break;
      }
      if (ring.compareAndSet(slot, current, stored)) {
        break;
      }
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        // A broken subscriber (e.g. its executor shut down) must never fail the publisher.
        log.warn("Event subscriber signal failed", e);
      }
    }
    return stored;
  }

  /** The sequence of the newest event appended, 0 when none has been. */
  public long lastSequence() {
    return lastSequence.get();
  }

  /** The oldest sequence still held, or {@code lastSequence() + 1} when the log is empty. */
  public long oldestAvailableSequence() {
    long last = lastSequence.get();
    return Math.max(1, last - capacity + 1);
  }

  /**
   * Reads up to {@code max} events from {@code fromSequence} on. A {@code fromSequence} older than
   * the oldest held event, or newer than any event ever appended (the agent restarted since the
   * reader saw it), yields a gap and the read starts at the oldest event held.
   */
  public EventBatch read(long fromSequence, int max) {
    long last = lastSequence.get();
    long oldest = Math.max(1, last - capacity + 1);
    EventGap gap = null;
    long next = fromSequence;
    if (fromSequence < oldest || fromSequence > last + 1) {
      gap = new EventGap(fromSequence, oldest);
      next = oldest;
    }
    List<SequencedEvent> events = new ArrayList<>(Math.min(max, 64));
    while (next <= last && events.size() < max) {
      SequencedEvent event = ring.get(slot(next));
      if (event == null || event.sequence() < next) {
        break; // claimed but not stored yet: the appender is between its two steps
      }
      if (event.sequence() > next) {
        break; // overwritten while we read: the next read reports the gap
      }
      events.add(event);
      next++;
    }
    return new EventBatch(gap, events, next);
  }

  /**
   * The events held whose time lies in {@code [from, to)}, in sequence order, optionally only of
   * the given kinds (empty means all).
   */
  public List<SequencedEvent> between(Instant from, Instant to, Set<EventKind> kinds) {
    long last = lastSequence.get();
    List<SequencedEvent> found = new ArrayList<>();
    for (long s = Math.max(1, last - capacity + 1); s <= last; s++) {
      SequencedEvent event = ring.get(slot(s));
      if (event == null || event.sequence() != s) {
        continue;
      }
      if (!event.time().isBefore(from) && event.time().isBefore(to)
          && (kinds.isEmpty() || kinds.contains(event.kind()))) {
        found.add(event);
      }
    }
    return found;
  }

  /**
   * Starts a subscription at {@code fromSequence} (0 or less: only events appended from now on).
   * {@code onAvailable} is run on the appender's thread after each append and must only schedule
   * work (e.g. hand the subscription to an executor), never read or block there.
   */
  public EventSubscription subscribe(long fromSequence, Runnable onAvailable) {
    long start = fromSequence <= 0 ? lastSequence.get() + 1 : fromSequence;
    EventSubscription subscription = new EventSubscription(this, start, onAvailable);
    listeners.add(onAvailable);
    return subscription;
  }

  void unsubscribe(Runnable onAvailable) {
    listeners.remove(onAvailable);
  }

  /** Subscribers currently registered. */
  public int subscriberCount() {
    return listeners.size();
  }

  private int slot(long sequence) {
    return (int) ((sequence - 1) % capacity);
  }
}
