package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's healthy-instance floor: a drain must leave at least {@code minHealthyPercent} of the
 * service's instances healthy and not drained, or it is refused unless the caller explicitly allows
 * going below.
 *
 * <p>Required = ⌈instances × minHealthyPercent / 100⌉, counting every registered instance (drained
 * and unhealthy ones included). Draining an instance that is not currently healthy-and-serving never
 * lowers the count, so it is always allowed.
 *
 * @param minHealthyPercent the floor, 0–100 (0 allows every drain)
 */
public record HealthFloor(double minHealthyPercent) {

  /** 50 %. */
  public static final HealthFloor DEFAULT = new HealthFloor(50.0);

  /** Every problem with this floor; empty when usable. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (!(minHealthyPercent >= 0.0 && minHealthyPercent <= 100.0)) {
      violations.add(new Violation("minHealthyPercent", "must be between 0 and 100, was " + minHealthyPercent));
    }
    return List.copyOf(violations);
  }

  /** Healthy instances needed out of {@code instances}. */
  public int required(int instances) {
    return (int) Math.ceil(instances * minHealthyPercent / 100.0 - 1e-9);
  }

  /**
   * Whether draining one more instance of {@code service} keeps the floor.
   *
   * @param instances every registered instance of the service
   * @param healthyServing instances now healthy and not drained, the target included if it is one
   * @param targetHealthyServing whether the instance to drain is among {@code healthyServing}
   */
  public Decision checkDrain(String service, int instances, int healthyServing, boolean targetHealthyServing) {
    int after = targetHealthyServing ? healthyServing - 1 : healthyServing;
    int required = required(instances);
    boolean allowed = !targetHealthyServing || after >= required;
    String message = service + " would keep " + after + " of " + instances + " healthy instances; floor is "
        + OperatorText.formatSpaced(minHealthyPercent);
    return new Decision(allowed, after, instances, required, message);
  }

  /**
   * The answer to a drain request.
   *
   * @param allowed whether the drain keeps the floor (or does not lower the healthy count)
   * @param healthyAfter healthy, non-drained instances after the drain
   * @param instances every registered instance
   * @param required healthy instances the floor asks for
   * @param message for the operator, e.g. {@code "users would keep 1 of 4 healthy instances; floor is 50 %"}
   */
  public record Decision(boolean allowed, int healthyAfter, int instances, int required, String message) {}
}
