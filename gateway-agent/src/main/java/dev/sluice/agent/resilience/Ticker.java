package dev.sluice.agent.resilience;

/**
 * A monotonic clock in nanoseconds, like {@link System#nanoTime()}.
 *
 * <p>Values only mean something relative to each other: compare them with {@code a - b < 0}, never
 * with {@code a < b}, because they may overflow and may be negative.
 */
@FunctionalInterface
public interface Ticker {

  /** The current time in nanoseconds on this ticker's own, arbitrary origin. */
  long nanos();

  /** The JVM's monotonic clock. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** Singleton so that {@link Ticker#system()} never allocates. */
final class SystemTicker implements Ticker {
  static final SystemTicker INSTANCE = new SystemTicker();

  private SystemTicker() {}

  @Override
  public long nanos() {
    return System.nanoTime();
  }
}
