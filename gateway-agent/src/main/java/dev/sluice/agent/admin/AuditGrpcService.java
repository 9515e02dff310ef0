package dev.sluice.agent.admin;

import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.GetAuditEntryRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.PlanRevertRequest;
import dev.sluice.admin.v1.RevertPlan;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditPage;
import dev.sluice.agent.admin.audit.AuditQuery;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AuditService} over the {@link AuditLog}: pages newest first with filters, and single
 * entries, and PlanRevert through the {@link RevertPlanner} (UNIMPLEMENTED without one).
 */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(AuditGrpcService.class);

  private final AuditLog audit;

  private final @Nullable RevertPlanner planner;

  public AuditGrpcService(AuditLog audit) {
    this(audit, null);
  }

  public AuditGrpcService(AuditLog audit, @Nullable RevertPlanner planner) {
    this.audit = audit;
    this.planner = planner;
  }

  @Override
  public void listAuditEntries(ListAuditEntriesRequest request,
      StreamObserver<ListAuditEntriesResponse> responses) {
    AuditQuery query = new AuditQuery(request.getPageSize(), request.getPageToken(),
        request.getTargetPrefix(), request.getPrincipal(),
        request.hasFrom() ? AdminProtoMapper.instant(request.getFrom()) : null,
        request.hasTo() ? AdminProtoMapper.instant(request.getTo()) : null);
    List<AuditQuery.Violation> violations = query.violations();
    if (!violations.isEmpty()) {
      responses.onError(GrpcErrors.invalidArgument(violations.stream()
          .map(v -> Map.entry(v.field(), v.message())).toList()));
      return;
    }
    AuditPage page;
    try {
      page = audit.list(query);
    } catch (IOException e) {
      log.error("Reading the audit log failed", e);
      responses.onError(Status.INTERNAL.withDescription("audit log could not be read")
          .asRuntimeException());
      return;
    }
    ListAuditEntriesResponse.Builder response = ListAuditEntriesResponse.newBuilder()
        .setNextPageToken(page.nextPageToken());
    for (AuditEntry entry : page.entries()) {
      response.addEntries(AdminProtoMapper.auditEntry(entry));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  @Override
  public void getAuditEntry(GetAuditEntryRequest request,
      StreamObserver<dev.sluice.admin.v1.AuditEntry> responses) {
    if (AuditEntry.numberOf(request.getId()) < 0) {
      responses.onError(GrpcErrors.invalidArgument(List.of(
          Map.entry("id", "must look like a-000123, was '" + request.getId() + "'"))));
      return;
    }
    Optional<AuditEntry> entry;
    try {
      entry = audit.get(request.getId());
    } catch (IOException e) {
      log.error("Reading the audit log failed", e);
      responses.onError(Status.INTERNAL.withDescription("audit log could not be read")
          .asRuntimeException());
      return;
    }
    if (entry.isEmpty()) {
      responses.onError(Status.NOT_FOUND
          .withDescription("no audit entry " + request.getId()).asRuntimeException());
      return;
    }
    responses.onNext(AdminProtoMapper.auditEntry(entry.get()));
    responses.onCompleted();
  }

  @Override
  public void planRevert(PlanRevertRequest request, StreamObserver<RevertPlan> responses) {
    if (planner == null) {
      responses.onError(Status.UNIMPLEMENTED
          .withDescription("PlanRevert is not available on this agent").asRuntimeException());
      return;
    }
    if (AuditEntry.numberOf(request.getEntryId()) < 0) {
      responses.onError(GrpcErrors.invalidArgument(List.of(
          Map.entry("entry_id", "must look like a-000123, was '" + request.getEntryId() + "'"))));
      return;
    }
    Optional<RevertPlanner.Plan> plan;
    try {
      plan = planner.plan(request.getEntryId());
    } catch (IOException e) {
      log.error("Reading the audit log failed", e);
      responses.onError(Status.INTERNAL.withDescription("audit log could not be read")
          .asRuntimeException());
      return;
    }
    if (plan.isEmpty()) {
      responses.onError(Status.NOT_FOUND
          .withDescription("no audit entry " + request.getEntryId()).asRuntimeException());
      return;
    }
    RevertPlanner.Plan found = plan.get();
    RevertPlan.Builder answer = RevertPlan.newBuilder()
        .setEntry(AdminProtoMapper.auditEntry(found.entry()))
        .setRestoresJson(found.entry().beforeJson() == null ? "" : found.entry().beforeJson())
        .setCurrentJson(found.currentJson())
        .setRevertible(found.revertible())
        .setNotRevertibleReason(found.notRevertible());
    for (AuditEntry later : found.laterChanges()) {
      answer.addLaterChanges(AdminProtoMapper.auditEntry(later));
    }
    responses.onNext(answer.build());
    responses.onCompleted();
  }
}
