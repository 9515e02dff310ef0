package dev.sluice.agent.balancing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Least outstanding requests with power-of-two random choices: draw two distinct endpoints at random,
 * each drawn with probability proportional to its weight, and take the one with fewer requests in
 * flight (the first drawn on a tie).
 *
 * <p>With equal load the result is therefore weighted random (weights 1 and 3 get a quarter and three
 * quarters of the picks), and an endpoint that falls behind gets fewer requests until it catches up.
 * Lock-free and allocation-free ({@link ThreadLocalRandom}); per-array weight tables are cached.
 */
public final class LeastRequestBalancer implements Balancer {
  private static final int DISTINCT_DRAWS = 4;

  private final AtomicReference<WeightTable> table = new AtomicReference<>(new WeightTable(new Endpoint[0]));

  @Override
  public int pick(Endpoint[] candidates) {
    int n = candidates.length;
    if (n <= 1) {
      return n - 1;
    }
    WeightTable weights = table.get();
    if (weights.candidates != candidates) {
      weights = new WeightTable(candidates);
      table.set(weights);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first;
    int second;
    if (weights.uniform) {
      first = random.nextInt(n);
      second = random.nextInt(n - 1);
      if (second >= first) {
        second++;
      }
    } else {
      first = weights.indexAt(random.nextInt(weights.total));
      second = first;
      for (int draw = 0; draw < DISTINCT_DRAWS && second == first; draw++) {
        second = weights.indexAt(random.nextInt(weights.total));
      }
    }
    return candidates[second].inFlight() < candidates[first].inFlight() ? second : first;
  }
}
