package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link RetryBudget}.
 *
 * @param percentOfRequests retries allowed as a share (0–100) of the requests in the window
 * @param minRetriesPerSecond retries allowed per second of window even without traffic (0–10,000)
 * @param window how far back requests and retries are counted (1 s – 10 min)
 */
public record RetryBudgetSettings(double percentOfRequests, int minRetriesPerSecond, Duration window) {

  /** 20 % of requests plus 3 retries per second, over 10 seconds. */
  public static final RetryBudgetSettings DEFAULTS = new RetryBudgetSettings(20.0, 3, Duration.ofSeconds(10));

  /** Every problem with these settings; empty when usable. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (!(percentOfRequests >= 0.0 && percentOfRequests <= 100.0)) {
      violations.add(new Violation("percentOfRequests", "must be between 0 and 100, was " + percentOfRequests));
    }
    if (minRetriesPerSecond < 0 || minRetriesPerSecond > 10_000) {
      violations.add(new Violation("minRetriesPerSecond", "must be between 0 and 10000, was " + minRetriesPerSecond));
    }
    if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
      violations.add(new Violation("window", "must be between 1 s and 10 min, was " + window));
    }
    return List.copyOf(violations);
  }
}
