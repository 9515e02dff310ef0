package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.DeleteRouteRequest;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.console.connection.GatewayClient;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway calls an edit needs: the dry run and the mutations. Every call answers off the
 * caller's thread and fails with the gateway's gRPC status when refused.
 */
public interface EditorGateway {
  CompletableFuture<ValidateChangeResponse> validate(ValidateChangeRequest request);

  CompletableFuture<ChangeResult> upsertRoute(UpsertRouteRequest request);

  CompletableFuture<ChangeResult> setRateLimit(SetRateLimitRequest request);

  CompletableFuture<ChangeResult> deleteRoute(DeleteRouteRequest request);

  /** The editors' calls over {@code client}'s connection (its mutation thread). */
  static EditorGateway of(GatewayClient client) {
    return new EditorGateway() {
      @Override
      public CompletableFuture<ValidateChangeResponse> validate(ValidateChangeRequest request) {
        return client.control(stub -> stub.validateChange(request));
      }

      @Override
      public CompletableFuture<ChangeResult> upsertRoute(UpsertRouteRequest request) {
        return client.control(stub -> stub.upsertRoute(request));
      }

      @Override
      public CompletableFuture<ChangeResult> setRateLimit(SetRateLimitRequest request) {
        return client.control(stub -> stub.setRateLimit(request));
      }

      @Override
      public CompletableFuture<ChangeResult> deleteRoute(DeleteRouteRequest request) {
        return client.control(stub -> stub.deleteRoute(request));
      }
    };
  }
}
