package dev.sluice.agent.health;

import dev.sluice.agent.resilience.PanicThreshold;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of a service that get traffic, chosen from their {@link InstanceStatus}es: the serving
 * ones, except in panic. Panic (see {@link PanicThreshold}) holds when serving instances are fewer than
 * {@code panicThresholdPercent} of the non-drained ones; then traffic goes to every non-drained
 * instance, healthy or not, because overloading the few healthy ones would take them down too. A drain
 * is an operator's intent and holds even in panic.
 *
 * @param instances the instances to balance over, in the given order
 * @param panic whether panic mode chose them
 * @param healthy serving instances
 * @param eligible non-drained instances
 */
public record ServingSet(List<InstanceStatus> instances, boolean panic, int healthy, int eligible) {

  public ServingSet {
    instances = List.copyOf(instances);
  }

  /** Picks the instances for traffic; pure. */
  public static ServingSet select(List<InstanceStatus> statuses, double panicThresholdPercent) {
    List<InstanceStatus> serving = new ArrayList<>(statuses.size());
    List<InstanceStatus> eligible = new ArrayList<>(statuses.size());
    for (InstanceStatus status : statuses) {
      if (status.eligible()) {
        eligible.add(status);
      }
      if (status.serving()) {
        serving.add(status);
      }
    }
    boolean panic = PanicThreshold.inPanic(serving.size(), eligible.size(), panicThresholdPercent);
    return new ServingSet(panic ? eligible : serving, panic, serving.size(), eligible.size());
  }
}
