package dev.sluice.agent.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class LeastRequestBalancerTest {
  private final LeastRequestBalancer balancer = new LeastRequestBalancer();

  private static Endpoint[] endpoints(int... weights) {
    Endpoint[] endpoints = new Endpoint[weights.length];
    for (int i = 0; i < weights.length; i++) {
      endpoints[i] = new Endpoint("e" + i, weights[i]);
    }
    return endpoints;
  }

  private static void load(Endpoint endpoint, int requests) {
    for (int i = 0; i < requests; i++) {
      endpoint.requestStarted();
    }
  }

  @Test
  void prefersTheLessLoadedOfTwo() {
    Endpoint[] candidates = endpoints(1, 1);
    load(candidates[0], 5);

    for (int i = 0; i < 1_000; i++) {
      assertThat(balancer.pick(candidates)).isEqualTo(1);
    }
  }

  @Test
  void neverPicksTheMostLoadedWhenOthersAreIdle() {
    Endpoint[] candidates = endpoints(1, 1, 1, 1);
    load(candidates[2], 3);

    int[] counts = new int[candidates.length];
    for (int i = 0; i < 20_000; i++) {
      counts[balancer.pick(candidates)]++;
    }

    assertThat(counts[2]).isZero();
    for (int i : new int[] {0, 1, 3}) {
      assertThat(counts[i]).isCloseTo(20_000 / 3, within(600));
    }
  }

  @Test
  void givesFewerPicksToMoreLoadedEndpoints() {
    Endpoint[] candidates = endpoints(1, 1, 1);
    load(candidates[1], 5);
    load(candidates[2], 10);

    int[] counts = new int[candidates.length];
    for (int i = 0; i < 30_000; i++) {
      counts[balancer.pick(candidates)]++;
    }

    assertThat(counts[0]).isGreaterThan(counts[1]);
    assertThat(counts[1]).isGreaterThan(counts[2]);
    assertThat(counts[2]).isZero();
  }

  @Test
  void sharesPicksByWeightWhenLoadIsEqual() {
    Endpoint[] candidates = endpoints(1, 3);

    int[] counts = new int[candidates.length];
    for (int i = 0; i < 100_000; i++) {
      counts[balancer.pick(candidates)]++;
    }

    assertThat(counts[1] / 100_000.0).isCloseTo(0.75, within(0.01));
  }

  @Test
  void keepsInFlightRequestsProportionalToWeightUnderLoad() {
    Endpoint[] candidates = endpoints(1, 2, 5);
    Deque<Integer> inFlight = new ArrayDeque<>();
    int[] counts = new int[candidates.length];

    for (int step = 0; step < 80_000; step++) {
      int chosen = balancer.pick(candidates);
      counts[chosen]++;
      candidates[chosen].requestStarted();
      inFlight.add(chosen);
      if (inFlight.size() > 64) {
        candidates[inFlight.poll()].requestFinished();
      }
    }

    assertThat(counts[0] / 80_000.0).isCloseTo(1 / 8.0, within(0.02));
    assertThat(counts[1] / 80_000.0).isCloseTo(2 / 8.0, within(0.02));
    assertThat(counts[2] / 80_000.0).isCloseTo(5 / 8.0, within(0.02));
  }

  @Test
  void aLoadedHeavyEndpointLosesToAnIdleLightOne() {
    Endpoint[] candidates = endpoints(Endpoint.MAX_WEIGHT, 1);
    load(candidates[0], 1);

    for (int i = 0; i < 1_000; i++) {
      assertThat(balancer.pick(candidates)).isEqualTo(1);
    }
  }

  @Test
  void balancesInFlightRequestsWhenOneEndpointIsSlow() {
    Endpoint[] candidates = endpoints(1, 1, 1);
    Deque<Integer> fast = new ArrayDeque<>();
    Deque<Integer> slow = new ArrayDeque<>();
    int[] counts = new int[candidates.length];

    for (int step = 0; step < 30_000; step++) {
      int chosen = balancer.pick(candidates);
      counts[chosen]++;
      candidates[chosen].requestStarted();
      (chosen == 0 ? slow : fast).add(chosen);
      if (fast.size() > 2) {
        candidates[fast.poll()].requestFinished();
      }
      if (step % 10 == 0 && !slow.isEmpty()) {
        candidates[slow.poll()].requestFinished();
      }
    }

    assertThat(counts[0]).as("the slow endpoint gets a small share").isLessThan(counts[1] / 3);
  }

  @Test
  void handlesEmptyAndSingleCandidates() {
    assertThat(balancer.pick(new Endpoint[0])).isEqualTo(-1);
    assertThat(balancer.pick(endpoints(4))).isZero();
  }

  @Test
  void endpointsCountRequestsInFlightAndRejectBadWeights() {
    Endpoint endpoint = new Endpoint("a", 1);
    endpoint.requestStarted();
    endpoint.requestStarted();
    endpoint.requestFinished();

    assertThat(endpoint.inFlight()).isEqualTo(1);
    assertThatThrownBy(() -> new Endpoint("b", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
