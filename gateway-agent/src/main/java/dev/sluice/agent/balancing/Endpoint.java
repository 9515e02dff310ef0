package dev.sluice.agent.balancing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance as the balancers see it: an id, a weight, and the count of requests in flight to it.
 *
 * <p>The proxy calls {@link #requestStarted()} when it sends a request to the instance and {@link
 * #requestFinished()} exactly once when that request ends, however it ends; least-request balancing
 * is only as good as that pairing.
 */
public final class Endpoint {
  /** Largest weight accepted; keeps schedules and sums well inside an {@code int}. */
  public static final int MAX_WEIGHT = 10_000;

  private final String id;
  private final int weight;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** @throws IllegalArgumentException if {@code weight} is outside 1–{@value #MAX_WEIGHT} */
  public Endpoint(String id, int weight) {
    this.id = Objects.requireNonNull(id, "id");
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight must be between 1 and " + MAX_WEIGHT + ", was " + weight);
    }
    this.weight = weight;
  }

  public String id() {
    return id;
  }

  public int weight() {
    return weight;
  }

  /** Requests sent to this instance and not yet finished. */
  public int inFlight() {
    return inFlight.get();
  }

  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  public void requestFinished() {
    inFlight.decrementAndGet();
  }

  @Override
  public String toString() {
    return "Endpoint[" + id + ", weight=" + weight + ", inFlight=" + inFlight.get() + "]";
  }
}
