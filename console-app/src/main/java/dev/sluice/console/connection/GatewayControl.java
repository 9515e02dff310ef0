package dev.sluice.console.connection;

import dev.sluice.admin.v1.ChangeResult;
import java.util.concurrent.CompletableFuture;

/**
 * The mutations the console can ask of a gateway. Each answers asynchronously and fails with the
 * gateway's gRPC status when refused (stale version, missing reason, permission).
 */
public interface GatewayControl {
  CompletableFuture<ChangeResult> tripBreaker(String service, Change change);

  CompletableFuture<ChangeResult> forceCloseBreaker(String service, Change change);

  CompletableFuture<ChangeResult> resetBreaker(String service, Change change);

  CompletableFuture<ChangeResult> drainInstance(String service, String instanceId, Change change);

  CompletableFuture<ChangeResult> undrainInstance(String service, String instanceId, Change change);

  /**
   * Drains even below the service's healthy-instance floor (audited as such): the explicit escape
   * an operator takes after a drain was refused by the floor.
   */
  default CompletableFuture<ChangeResult> drainBelowFloor(
      String service, String instanceId, Change change) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("drain below floor"));
  }

  /** Gives an override with a time-to-live a new one, counted from now. */
  default CompletableFuture<ChangeResult> extendOverride(
      dev.sluice.admin.v1.OverrideTarget target, java.time.Duration ttl, Change change) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("extend override"));
  }
}
