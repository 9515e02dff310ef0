package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Many writers recording into young recorders (whose packed histograms are still growing) while
 * the ticker swaps interval histograms in a tight loop. With a multi-writer packed HdrHistogram
 * this hung in the first rounds (a writer spinning in the packed array's entry consolidation, the
 * reader waiting for it in {@code WriterReaderPhaser.flipPhase}); the timeouts run the test in a
 * separate thread so that a hang fails the test instead of the build.
 */
class RouteRecorderStressTest {

  private static final int ROUNDS = 12;
  private static final int WRITERS = 6;
  private static final int PER_WRITER = 20_000;

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void manyWritersOnGrowingHistogramsNeverStallTheIntervalSwapAndLoseNoCount() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      assertRoundIsExact(new RouteRecorder("stress", "/stress"), round);
    }
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void writersBeyondTheStripesShareTheFallbackAndLoseNoCount() throws Exception {
    for (int round = 0; round < ROUNDS / 2; round++) {
      assertRoundIsExact(new RouteRecorder("stress", "/stress", 2), round);
    }
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void allWritersOnTheFallbackLoseNoCount() throws Exception {
    for (int round = 0; round < ROUNDS / 2; round++) {
      assertRoundIsExact(new RouteRecorder("stress", "/stress", 0), round);
    }
  }

  private static void assertRoundIsExact(RouteRecorder route, int round) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(WRITERS);
    for (int t = 0; t < WRITERS; t++) {
      int seed = round * WRITERS + t;
      Thread writer = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < PER_WRITER; i++) {
          route.requestStarted();
          // Spread over five decades so that the histograms keep growing new entries.
          long micros = 1 + (i * 7_919L + seed * 104_729L) % 5_000_000;
          route.requestCompleted(200, micros * 1_000);
        }
        done.countDown();
      }, "stress-writer-" + t);
      // A hung writer must not keep the test JVM alive.
      writer.setDaemon(true);
      writer.start();
    }
    start.countDown();
    long requests = 0;
    long latencies = 0;
    long success = 0;
    while (!done.await(0, TimeUnit.MILLISECONDS)) {
      RouteTraffic traffic = route.sample();
      assertThat(traffic.latency().totalCount()).isEqualTo(traffic.requests());
      requests += traffic.requests();
      latencies += traffic.latency().totalCount();
      success += traffic.statuses().success();
    }
    RouteTraffic last = route.sample();
    requests += last.requests();
    latencies += last.latency().totalCount();
    success += last.statuses().success();

    long expected = (long) WRITERS * PER_WRITER;
    assertThat(requests).as("requests in round %d", round).isEqualTo(expected);
    assertThat(latencies).as("latencies in round %d", round).isEqualTo(expected);
    assertThat(success).as("successes in round %d", round).isEqualTo(expected);
    assertThat(route.inFlight()).isZero();
  }
}
