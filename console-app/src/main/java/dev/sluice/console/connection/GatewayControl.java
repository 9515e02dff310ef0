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
}
