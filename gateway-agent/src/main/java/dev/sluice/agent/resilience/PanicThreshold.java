package dev.sluice.agent.resilience;

/**
 * Decides panic mode as Envoy does: when too few instances are healthy, balancing over the healthy
 * ones would overload them, so traffic goes to every eligible instance instead, healthy or not.
 *
 * <p>Here "eligible" means every instance of the service that an operator has not drained (a drain is
 * intent and holds even in panic); "healthy" means eligible and passing registry health, the active
 * health check and not ejected by outlier detection. Panic holds while {@code healthy / eligible × 100
 * < thresholdPercent}; a threshold of 0 switches panic off; with no eligible instance there is nothing
 * to route to and no panic.
 */
public final class PanicThreshold {
  private PanicThreshold() {}

  /** Whether traffic should go to all {@code eligible} instances rather than the {@code healthy} ones. */
  public static boolean inPanic(int healthy, int eligible, double thresholdPercent) {
    if (eligible <= 0 || thresholdPercent <= 0.0) {
      return false;
    }
    return healthy * 100.0 < thresholdPercent * eligible;
  }
}
