package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.agent.testing.Contention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void startsFullAndLetsTheBurstThrough() {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(1.0, 5), ticker);

    List<Long> remaining = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RateLimitDecision decision = bucket.tryAcquire();
      assertThat(decision.allowed()).isTrue();
      remaining.add(decision.remaining());
    }
    RateLimitDecision refused = bucket.tryAcquire();

    assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.limit()).isEqualTo(5);
    assertThat(refused.retryAfterNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.resetNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void refillsOneTokenPerIntervalExactly() {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(4.0, 1), ticker);
    assertThat(bucket.tryAcquire().allowed()).isTrue();

    ticker.advance(Duration.ofMillis(249));
    RateLimitDecision early = bucket.tryAcquire();
    assertThat(early.allowed()).isFalse();
    assertThat(early.retryAfterNanos()).isEqualTo(Duration.ofMillis(1).toNanos());

    ticker.advance(Duration.ofMillis(1));
    assertThat(bucket.tryAcquire().allowed()).isTrue();
    assertThat(bucket.tryAcquire().allowed()).isFalse();
  }

  @Test
  void resetIsTheTimeUntilTheBucketIsFullAgain() {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(10.0, 10), ticker);
    bucket.tryAcquire();
    bucket.tryAcquire();

    RateLimitDecision third = bucket.tryAcquire();

    assertThat(third.remaining()).isEqualTo(7);
    assertThat(third.resetNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(third.resetSeconds()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(300));
    assertThat(bucket.available()).isEqualTo(10);
  }

  @Test
  void anIdleBucketHoldsNoMoreThanItsBurst() {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(100.0, 3), ticker);
    ticker.advance(Duration.ofHours(2));

    int allowed = 0;
    while (bucket.tryAcquire().allowed()) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(3);
  }

  @Test
  void allowsTheConfiguredRateOverASimulatedMinute() {
    double rate = 7.3;
    int burst = 10;
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(rate, burst), ticker);

    int allowed = 0;
    for (int ms = 0; ms < 60_000; ms++) {
      if (bucket.tryAcquire().allowed()) {
        allowed++;
      }
      ticker.advance(Duration.ofMillis(1));
    }

    double expected = burst + rate * 60;
    assertThat((double) allowed).isCloseTo(expected, within(expected * 0.01));
  }

  @Test
  void lettingEveryOtherRequestThroughAtTwiceTheRate() {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(50.0, 1), ticker);

    int allowed = 0;
    for (int i = 0; i < 10_000; i++) {
      ticker.advance(Duration.ofMillis(10));
      if (bucket.tryAcquire().allowed()) {
        allowed++;
      }
    }

    assertThat(allowed).isCloseTo(5_000, within(1));
  }

  @Test
  void decidesExactlyAsAClassicRefillingBucket() {
    Random random = new Random(11);
    for (int run = 0; run < 100; run++) {
      long nanosPerToken = 1_000 + random.nextInt(10_000_000);
      int burst = 1 + random.nextInt(20);
      RateLimitSettings settings = new RateLimitSettings(1e9 / nanosPerToken, burst);
      assertThat(settings.nanosPerToken()).isEqualTo(nanosPerToken);
      TokenBucket bucket = new TokenBucket(settings, ticker);
      long capacity = nanosPerToken * burst;
      long tokensInNanos = capacity;

      for (int request = 0; request < 500; request++) {
        long gap = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * 2 * nanosPerToken);
        ticker.advanceNanos(gap);
        tokensInNanos = Math.min(capacity, tokensInNanos + gap);
        boolean modelAllows = tokensInNanos >= nanosPerToken;
        if (modelAllows) {
          tokensInNanos -= nanosPerToken;
        }

        RateLimitDecision decision = bucket.tryAcquire();

        assertThat(decision.allowed()).as("run %d, request %d", run, request).isEqualTo(modelAllows);
        assertThat(decision.remaining()).isEqualTo(modelAllows ? tokensInNanos / nanosPerToken : 0);
        assertThat(decision.resetNanos()).isEqualTo(capacity - tokensInNanos);
        if (!modelAllows) {
          assertThat(decision.retryAfterNanos()).isEqualTo(nanosPerToken - tokensInNanos);
        }
      }
    }
  }

  @Test
  void concurrentCallersNeverGetMoreThanTheBurst() throws Exception {
    TokenBucket bucket = new TokenBucket(new RateLimitSettings(1.0, 1_000), ticker);
    int total = Contention.allowed(8, 10_000, () -> bucket.tryAcquire().allowed());

    assertThat(total).isEqualTo(1_000);
  }

  @Test
  void rejectsInvalidSettingsWithEveryViolation() {
    RateLimitSettings bad = new RateLimitSettings(0.0, 0);

    assertThat(bad.validate()).extracting(Violation::path).containsExactly("requestsPerSecond", "burst");
    assertThat(new RateLimitSettings(Double.NaN, 1).validate()).hasSize(1);
    assertThatThrownBy(() -> new TokenBucket(bad, ticker)).isInstanceOf(IllegalArgumentException.class);
  }
}
