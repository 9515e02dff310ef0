package dev.sluice.console.safety;

import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.PlanRevertRequest;
import dev.sluice.admin.v1.RevertAuditEntryRequest;
import dev.sluice.admin.v1.RevertPlan;
import dev.sluice.console.connection.GatewayClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The audit calls the console makes; each answers off the caller's thread. */
public interface AuditGateway {
  /** One page of the log, newest first; {@code nextPageToken} is empty on the last page. */
  record Page(List<AuditEntry> entries, String nextPageToken) {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Entries older than the page {@code pageToken} came from (empty: the newest), at most
   * {@code pageSize}.
   */
  CompletableFuture<Page> page(int pageSize, String pageToken);

  CompletableFuture<RevertPlan> planRevert(String entryId);

  CompletableFuture<ChangeResult> revert(String entryId, boolean undoLaterChanges, ChangeContext context);

  static AuditGateway of(GatewayClient client) {
    return new AuditGateway() {
      @Override
      public CompletableFuture<Page> page(int pageSize, String pageToken) {
        return client.audit(stub -> {
          var answer = stub.listAuditEntries(ListAuditEntriesRequest.newBuilder()
              .setPageSize(pageSize).setPageToken(pageToken).build());
          return new Page(answer.getEntriesList(), answer.getNextPageToken());
        });
      }

      @Override
      public CompletableFuture<RevertPlan> planRevert(String entryId) {
        return client.audit(stub -> stub.planRevert(
            PlanRevertRequest.newBuilder().setEntryId(entryId).build()));
      }

      @Override
      public CompletableFuture<ChangeResult> revert(String entryId, boolean undoLaterChanges,
          ChangeContext context) {
        return client.control(stub -> stub.revertAuditEntry(RevertAuditEntryRequest.newBuilder()
            .setContext(context).setEntryId(entryId).setUndoLaterChanges(undoLaterChanges).build()));
      }
    };
  }
}
