package dev.sluice.agent.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

  private static Endpoint[] endpoints(int... weights) {
    Endpoint[] endpoints = new Endpoint[weights.length];
    for (int i = 0; i < weights.length; i++) {
      endpoints[i] = new Endpoint("e" + i, weights[i]);
    }
    return endpoints;
  }

  @Test
  void interleavesWeightedPicksSmoothlyAsNginxDoes() {
    Endpoint[] candidates = endpoints(5, 1, 1);
    RoundRobinBalancer balancer = new RoundRobinBalancer();

    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      picks.add(balancer.pick(candidates));
    }

    List<Integer> nginx = List.of(0, 0, 1, 0, 2, 0, 0);
    List<Integer> firstCycle = new ArrayList<>(picks.subList(0, 7));
    boolean isRotation = false;
    for (int shift = 0; shift < 7 && !isRotation; shift++) {
      List<Integer> rotated = new ArrayList<>(nginx);
      Collections.rotate(rotated, shift);
      isRotation = rotated.equals(firstCycle);
    }
    assertThat(isRotation).as("%s is nginx's sequence from some starting point", firstCycle).isTrue();
    assertThat(picks.subList(7, 14)).isEqualTo(firstCycle);
  }

  @Test
  void sharesPicksExactlyByWeight() {
    Endpoint[] candidates = endpoints(1, 2, 3, 4);
    RoundRobinBalancer balancer = new RoundRobinBalancer();

    int[] counts = new int[candidates.length];
    for (int i = 0; i < 100_000; i++) {
      counts[balancer.pick(candidates)]++;
    }

    assertThat(counts).containsExactly(10_000, 20_000, 30_000, 40_000);
  }

  @Test
  void equalWeightsTakeTurns() {
    Endpoint[] candidates = endpoints(7, 7, 7);
    RoundRobinBalancer balancer = new RoundRobinBalancer();

    int first = balancer.pick(candidates);

    assertThat(balancer.pick(candidates)).isEqualTo((first + 1) % 3);
    assertThat(balancer.pick(candidates)).isEqualTo((first + 2) % 3);
  }

  @Test
  void keepsSharesExactWhenTheCycleIsTooLongToPrecompute() {
    Endpoint[] candidates = endpoints(Endpoint.MAX_WEIGHT, Endpoint.MAX_WEIGHT - 1, 1, 9_999, 10_000, 10_000, 10_000, 9_000);
    int total = 0;
    for (Endpoint endpoint : candidates) {
      total += endpoint.weight();
    }
    assertThat(total).isGreaterThan(RoundRobinBalancer.MAX_SCHEDULE);
    RoundRobinBalancer balancer = new RoundRobinBalancer();

    int[] counts = new int[candidates.length];
    for (int i = 0; i < total; i++) {
      counts[balancer.pick(candidates)]++;
    }

    for (int i = 0; i < candidates.length; i++) {
      assertThat(counts[i]).isEqualTo(candidates[i].weight());
    }
  }

  @Test
  void followsANewCandidateArray() {
    RoundRobinBalancer balancer = new RoundRobinBalancer();
    balancer.pick(endpoints(1, 1));
    Endpoint[] onlyOne = endpoints(3);

    assertThat(balancer.pick(onlyOne)).isZero();
    assertThat(balancer.pick(new Endpoint[0])).isEqualTo(-1);
  }

  @Test
  void concurrentPicksKeepExactShares() throws Exception {
    Endpoint[] candidates = endpoints(1, 3, 6);
    RoundRobinBalancer balancer = new RoundRobinBalancer();
    AtomicLongArray counts = new AtomicLongArray(candidates.length);
    int threads = 8;
    int picksPerThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < picksPerThread; i++) {
            counts.incrementAndGet(balancer.pick(candidates));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(counts.get(0)).isEqualTo(40_000);
    assertThat(counts.get(1)).isEqualTo(120_000);
    assertThat(counts.get(2)).isEqualTo(240_000);
  }
}
