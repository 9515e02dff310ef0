package dev.sluice.agent.balancing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Least outstanding requests with power-of-two random choices, weights respected: draw two distinct
 * endpoints at random, each with probability proportional to its weight, and take the one with fewer
 * requests in flight per unit of weight ({@code inFlight / weight}); on a tie, the first drawn.
 *
 * <p>So with nothing in flight the split is weighted random (weights 1 and 3 get a quarter and three
 * quarters), and under load the balancer keeps each endpoint's in-flight count proportional to its
 * weight, which for equal latencies is a throughput proportional to weight; an endpoint that slows
 * down gets fewer requests until it catches up. At very low concurrency in-flight counts are small
 * integers, so the split is coarser than the weights. Lock-free and allocation-free ({@link
 * ThreadLocalRandom}); weight tables are cached per candidate array.
 */
public final class LeastRequestBalancer implements Balancer {
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
      int firstWeight = candidates[first].weight();
      int firstStart = weights.cumulative[first] - firstWeight;
      int point = random.nextInt(weights.total - firstWeight);
      second = weights.indexAt(point >= firstStart ? point + firstWeight : point);
    }
    Endpoint a = candidates[first];
    Endpoint b = candidates[second];
    long loadA = (long) a.inFlight() * b.weight();
    long loadB = (long) b.inFlight() * a.weight();
    return loadB < loadA ? second : first;
  }
}
