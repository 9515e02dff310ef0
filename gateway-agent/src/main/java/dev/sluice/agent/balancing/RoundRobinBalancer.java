package dev.sluice.agent.balancing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Weighted round robin with nginx's smooth interleaving: over every run of {@code sum(weights) / gcd}
 * picks each endpoint is chosen exactly {@code weight / gcd} times, spread out rather than in blocks
 * (weights 5, 1, 1 give a a b a c a a).
 *
 * <p>The sequence is computed once per candidate array (nginx's algorithm run for one full cycle) and
 * then walked with one shared atomic counter, so picking is lock-free and allocation-free. A cycle
 * longer than {@value #MAX_SCHEDULE} picks, or one too costly to compute for many endpoints, falls
 * back to contiguous blocks per endpoint, which keeps the shares exact but not the spreading. The counter starts at a random place so that several agents
 * do not all start on the same instance.
 */
public final class RoundRobinBalancer implements Balancer {
  static final int MAX_SCHEDULE = 1 << 16;
  /** Bounds the one-off cost of computing a schedule (cycle length × endpoints) to a few milliseconds. */
  static final long MAX_SCHEDULE_WORK = 1L << 22;

  private final AtomicInteger counter = new AtomicInteger(ThreadLocalRandom.current().nextInt());
  private final AtomicReference<Schedule> schedule = new AtomicReference<>(new Schedule(new Endpoint[0]));

  @Override
  public int pick(Endpoint[] candidates) {
    int n = candidates.length;
    if (n <= 1) {
      return n - 1;
    }
    Schedule current = schedule.get();
    if (current.candidates != candidates) {
      current = new Schedule(candidates);
      schedule.set(current);
    }
    return current.at(counter.getAndIncrement());
  }

  /** The order of picks for one candidate array. */
  private static final class Schedule {
    final Endpoint[] candidates;
    private final WeightTable weights;
    private final int[] sequence;
    private final int cycle;

    Schedule(Endpoint[] candidates) {
      this.candidates = candidates;
      this.weights = new WeightTable(candidates);
      int divisor = 0;
      for (Endpoint endpoint : candidates) {
        divisor = gcd(divisor, endpoint.weight());
      }
      int length = divisor == 0 ? 0 : weights.total / divisor;
      if (length > 0 && length <= MAX_SCHEDULE && (long) length * candidates.length <= MAX_SCHEDULE_WORK) {
        this.sequence = smooth(candidates, divisor, length);
        this.cycle = length;
      } else {
        this.sequence = new int[0];
        this.cycle = weights.total;
      }
    }

    int at(int position) {
      int offset = Math.floorMod(position, cycle);
      return sequence.length > 0 ? sequence[offset] : weights.indexAt(offset);
    }

    private static int[] smooth(Endpoint[] candidates, int divisor, int length) {
      int n = candidates.length;
      int[] weight = new int[n];
      for (int i = 0; i < n; i++) {
        weight[i] = candidates[i].weight() / divisor;
      }
      int[] current = new int[n];
      int[] sequence = new int[length];
      for (int step = 0; step < length; step++) {
        int best = 0;
        for (int i = 0; i < n; i++) {
          current[i] += weight[i];
          if (current[i] > current[best]) {
            best = i;
          }
        }
        current[best] -= length;
        sequence[step] = best;
      }
      return sequence;
    }

    private static int gcd(int a, int b) {
      while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
      }
      return a;
    }
  }
}
