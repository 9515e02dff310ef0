package dev.sluice.agent.resilience;

/**
 * Receives every {@link BreakerTransition} of a breaker.
 *
 * <p>Called synchronously on the thread whose call caused the transition, which may be a Netty event
 * loop: hand the event off (e.g. to a queue) and return; never block.
 */
@FunctionalInterface
public interface BreakerListener {

  void onTransition(BreakerTransition transition);

  /** A listener that ignores every transition. */
  static BreakerListener none() {
    return transition -> {};
  }
}
