package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** How {@link WriterStripes} hands out the single-writer stripes of every {@link RouteRecorder}. */
class RouteRecorderStripesTest {

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void liveThreadsNeverShareAStripeAndEndedThreadsHandTheirsOn() throws Exception {
    int[] first = stripesOfLiveThreads(WriterStripes.COUNT + 4);
    int[] second = stripesOfLiveThreads(WriterStripes.COUNT + 4);

    assertThat(ownStripes(first)).doesNotHaveDuplicates();
    assertThat(ownStripes(second)).doesNotHaveDuplicates();
    // More threads than stripes: some had to share the fallback.
    assertThat(first).contains(WriterStripes.SHARED);
    // The first generation ended, so the second got (at least) as many stripes of its own.
    assertThat(ownStripes(second).size()).isGreaterThanOrEqualTo(ownStripes(first).size());
    assertThat(ownStripes(first)).isNotEmpty();
  }

  /** Starts {@code n} threads that each take a stripe and stay alive until all have one. */
  private static int[] stripesOfLiveThreads(int n) throws InterruptedException {
    AtomicIntegerArray stripes = new AtomicIntegerArray(n);
    CountDownLatch allTaken = new CountDownLatch(n);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int slot = i;
      Thread thread = new Thread(() -> {
        stripes.set(slot, WriterStripes.current());
        allTaken.countDown();
        try {
          allTaken.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    int[] result = new int[n];
    for (int i = 0; i < n; i++) {
      result[i] = stripes.get(i);
    }
    return result;
  }

  private static List<Integer> ownStripes(int[] stripes) {
    List<Integer> own = new ArrayList<>();
    for (int stripe : stripes) {
      if (stripe != WriterStripes.SHARED) {
        own.add(stripe);
      }
    }
    return own;
  }
}
