package dev.sluice.agent.balancing;

/**
 * Picks the instance for one request.
 *
 * <p>The proxy passes the candidates as an array it does not modify and replaces as a whole when the
 * set changes; balancers cache per-array tables keyed on that array's identity, so passing a new
 * array on every request would rebuild them every time. Thread-safe; one balancer per service.
 */
public interface Balancer {

  /** The index in {@code candidates} of the chosen endpoint, or -1 when there is none. */
  int pick(Endpoint[] candidates);
}
