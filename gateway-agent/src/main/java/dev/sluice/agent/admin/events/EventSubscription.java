package dev.sluice.agent.admin.events;

/**
 * A reader's position in the {@link EventLog}. Its owner calls {@link #poll} whenever the
 * subscription's signal fires (and once at the start); a subscriber that reads slowly only falls
 * behind, and gets an {@link EventGap} when the events it missed were evicted. Not thread-safe:
 * poll from one thread at a time.
 */
public final class EventSubscription implements AutoCloseable {

  private final EventLog log;
  private final Runnable signal;
  private long nextSequence;

  EventSubscription(EventLog log, long nextSequence, Runnable signal) {
    this.log = log;
    this.nextSequence = nextSequence;
    this.signal = signal;
  }

  /** Up to {@code max} events from where the last poll stopped, preceded by a gap if one occurred. */
  public EventBatch poll(int max) {
    EventBatch batch = log.read(nextSequence, max);
    nextSequence = batch.nextSequence();
    return batch;
  }

  /** The sequence the next poll starts at. */
  public long nextSequence() {
    return nextSequence;
  }

  @Override
  public void close() {
    log.unsubscribe(signal);
  }
}
