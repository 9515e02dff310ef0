package dev.sluice.agent.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker tests move by hand. It starts one minute before {@code long} overflows, so every test also
 * proves that times are compared by difference, as {@link System#nanoTime()} requires.
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong now;

  public FakeTicker() {
    this(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());
  }

  public FakeTicker(long start) {
    this.now = new AtomicLong(start);
  }

  @Override
  public long nanos() {
    return now.get();
  }

  public void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  public void advanceNanos(long nanos) {
    now.addAndGet(nanos);
  }

  /** The time {@code duration} from now, e.g. for an override deadline. */
  public long plus(Duration duration) {
    return now.get() + duration.toNanos();
  }
}
