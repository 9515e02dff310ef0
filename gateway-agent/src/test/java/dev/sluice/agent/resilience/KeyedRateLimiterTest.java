package dev.sluice.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.Contention;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void givesEachKeyItsOwnBucket() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(1.0, 2), 100, ticker);

    assertThat(limiter.tryAcquire("10.0.0.1").allowed()).isTrue();
    assertThat(limiter.tryAcquire("10.0.0.1").allowed()).isTrue();
    assertThat(limiter.tryAcquire("10.0.0.1").allowed()).isFalse();

    assertThat(limiter.tryAcquire("10.0.0.2").allowed()).isTrue();
    assertThat(limiter.size()).isEqualTo(2);
  }

  @Test
  void memoryStaysBoundedUnderAFloodOfDistinctKeys() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(10.0, 20), 1_000, ticker);

    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.tryAcquire("client-" + i).allowed()).isTrue();
      if (i % 100 == 0) {
        ticker.advance(Duration.ofMillis(1));
      }
    }

    assertThat(limiter.capacity()).isBetween(1_000, 2_048);
    assertThat(limiter.size()).as("the table is full, and no larger").isEqualTo(limiter.capacity());
  }

  @Test
  void aBusyKeyKeepsItsBucketWhileAFloodOfNewKeysPasses() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(1.0, 5), 256, ticker);
    while (limiter.tryAcquire("hot").allowed()) {
      // drain the hot key's bucket
    }

    int hotAllowed = 0;
    for (int i = 0; i < 100_000; i++) {
      limiter.tryAcquire("one-off-" + i);
      if (i % 1_000 == 0 && limiter.tryAcquire("hot").allowed()) {
        hotAllowed++;
      }
    }

    assertThat(hotAllowed).as("the drained key is not forgotten and refilled by evictions").isZero();
  }

  @Test
  void dropsBucketsThatRefilledCompletely() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(10.0, 10), 64, ticker);
    limiter.tryAcquire("a");
    limiter.tryAcquire("b");
    ticker.advance(Duration.ofMillis(100));
    limiter.tryAcquire("c");

    int dropped = limiter.evictIdle();

    assertThat(dropped).isEqualTo(2);
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void aForgottenKeyStartsAgainWithAFullBucket() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(1.0, 1), 8, ticker);
    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    ticker.advance(Duration.ofSeconds(1));
    limiter.evictIdle();

    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    assertThat(limiter.tryAcquire("a").allowed()).isFalse();
  }

  @Test
  void concurrentCallersShareEachKeysBucket() throws Exception {
    KeyedRateLimiter limiter = new KeyedRateLimiter(new RateLimitSettings(1.0, 5), 1_000, ticker);
    int total = Contention.allowed(8, 10_000,
        () -> limiter.tryAcquire("key-" + ThreadLocalRandom.current().nextInt(100)).allowed());

    assertThat(total).isEqualTo(100 * 5);
    assertThat(limiter.size()).isEqualTo(100);
  }
}
