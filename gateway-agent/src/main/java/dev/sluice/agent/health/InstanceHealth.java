package dev.sluice.agent.health;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One instance's active-check state at one moment. Immutable; a new one replaces it after each check.
 *
 * @param instanceId the registry's id of the instance
 * @param state the decided state
 * @param lastFailure why the latest failed check failed ({@code "connect refused"}, {@code "timeout
 *     after 1s"}, {@code "status 503"}); null if no check has failed yet
 * @param consecutiveSuccesses passing checks in a row
 * @param consecutiveFailures failing checks in a row
 * @param lastCheckedAt when the latest check finished; null before the first
 */
public record InstanceHealth(
    String instanceId,
    CheckState state,
    @Nullable String lastFailure,
    int consecutiveSuccesses,
    int consecutiveFailures,
    @Nullable Instant lastCheckedAt) {

  static InstanceHealth unknown(String instanceId) {
    return new InstanceHealth(instanceId, CheckState.UNKNOWN, null, 0, 0, null);
  }
}
