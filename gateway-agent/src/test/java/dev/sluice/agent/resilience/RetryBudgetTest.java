package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.Contention;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void lowTrafficStillGetsTheMinimumRetries() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.DEFAULTS, ticker);

    int allowed = 0;
    while (budget.tryAcquireRetry()) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(30);
    assertThat(budget.available()).isZero();
  }

  @Test
  void requestsEarnTheirShareOfRetries() {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(20.0, 0, Duration.ofSeconds(10)), ticker);
    for (int i = 0; i < 50; i++) {
      budget.onRequest();
    }

    int allowed = 0;
    while (budget.tryAcquireRetry()) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(10);
    assertThat(budget.requestsInWindow()).isEqualTo(50);
    assertThat(budget.retriesInWindow()).as("refused retries are handed back").isEqualTo(10);
  }

  @Test
  void spentRetriesComeBackWhenTheyLeaveTheWindow() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.DEFAULTS, ticker);
    while (budget.tryAcquireRetry()) {
      // spend the reserve
    }

    ticker.advance(Duration.ofSeconds(9));
    assertThat(budget.tryAcquireRetry()).isFalse();
    ticker.advance(Duration.ofSeconds(1));

    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void capsAmplificationWhenEveryAttemptFails() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.DEFAULTS, ticker);
    int maxAttempts = 3;
    long requests = 0;
    long attempts = 0;

    for (int ms = 0; ms < 120_000; ms++) {
      ticker.advance(Duration.ofMillis(1));
      requests++;
      budget.onRequest();
      attempts++;
      for (int retry = 1; retry < maxAttempts && budget.tryAcquireRetry(); retry++) {
        attempts++;
      }
    }

    double amplification = (double) attempts / requests;
    double bound = 1.0 + 0.20 + 3.0 / 1000.0;
    assertThat(amplification).isBetween(1.15, bound + 0.01);
  }

  @Test
  void concurrentRetriesNeverOverdrawTheBudget() throws Exception {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(20.0, 0, Duration.ofSeconds(10)), ticker);
    for (int i = 0; i < 1_000; i++) {
      budget.onRequest();
    }
    int total = Contention.allowed(8, 5_000, budget::tryAcquireRetry);

    assertThat(total).isEqualTo(200);
  }

  @Test
  void validationReportsEveryViolation() {
    RetryBudgetSettings bad = new RetryBudgetSettings(120.0, -1, Duration.ofMillis(10));

    assertThat(bad.validate()).extracting(Violation::path)
        .containsExactly("percentOfRequests", "minRetriesPerSecond", "window");
    assertThat(RetryBudgetSettings.DEFAULTS.validate()).isEmpty();
  }
}
