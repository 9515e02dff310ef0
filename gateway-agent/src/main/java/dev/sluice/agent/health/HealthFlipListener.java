package dev.sluice.agent.health;

/**
 * Told about every {@link HealthFlip}. Called on the health-check event loop: hand the flip off (build
 * a snapshot elsewhere, publish an event) and return; never block.
 */
@FunctionalInterface
public interface HealthFlipListener {

  void onFlip(HealthFlip flip);
}
