package dev.sluice.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

  @Test
  void doublesFromTheInitialDelayWithJitterBetweenHalfAndAll() {
    for (int attempt = 1; attempt <= 7; attempt++) {
      long nominal = Duration.ofMillis(250).toNanos() << (attempt - 1);
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delayNanos(attempt)).isBetween(nominal / 2, nominal);
      }
    }
  }

  @Test
  void isCappedAtTheMaximumEvenAfterManyAttempts() {
    long max = Duration.ofSeconds(30).toNanos();
    for (int attempt : new int[] {8, 20, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(backoff.delayNanos(attempt)).isBetween(max / 2, max);
    }
  }

  @Test
  void spreadsRetriesOfRegistriesThatFailedTogether() {
    long first = backoff.delayNanos(5);
    boolean differs = false;
    for (int i = 0; i < 50 && !differs; i++) {
      differs = backoff.delayNanos(5) != first;
    }
    assertThat(differs).isTrue();
  }
}
