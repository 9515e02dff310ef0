package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * A token bucket's size and speed: {@code requestsPerSecond} tokens are added per second up to
 * {@code burst} tokens; each request takes one.
 *
 * @param requestsPerSecond refill rate, above 0 and at most 1,000,000
 * @param burst bucket capacity: how many requests may pass at once after a quiet period (1–1,000,000)
 */
public record RateLimitSettings(double requestsPerSecond, int burst) {
  static final double MAX_RATE = 1_000_000.0;
  static final double MIN_RATE = 0.001;
  static final int MAX_BURST = 1_000_000;

  /** Every problem with these settings; empty when usable. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (!(requestsPerSecond >= MIN_RATE && requestsPerSecond <= MAX_RATE)) {
      violations.add(
          new Violation("requestsPerSecond", "must be between 0.001 and 1000000, was " + requestsPerSecond));
    }
    if (burst < 1 || burst > MAX_BURST) {
      violations.add(new Violation("burst", "must be between 1 and " + MAX_BURST + ", was " + burst));
    }
    return List.copyOf(violations);
  }

  /** Nanoseconds between two tokens, rounded to the nearest nanosecond. */
  long nanosPerToken() {
    return Math.max(1L, Math.round(1_000_000_000.0 / requestsPerSecond));
  }

  static RateLimitSettings requireValid(RateLimitSettings settings) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid rate limit: " + violations);
    }
    return settings;
  }
}
