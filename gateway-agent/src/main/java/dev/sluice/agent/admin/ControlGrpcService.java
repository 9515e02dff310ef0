package dev.sluice.agent.admin;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ClearRateLimitRequest;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.DeleteRouteRequest;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.ExtendOverrideRequest;
import dev.sluice.admin.v1.FieldViolation;
import dev.sluice.admin.v1.FloorViolation;
import dev.sluice.admin.v1.ForceCloseBreakerRequest;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.RevertAuditEntryRequest;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UndrainInstanceRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.admin.v1.VersionConflict;
import dev.sluice.agent.admin.audit.AuditDraft;
import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.auth.AuthContext;
import dev.sluice.agent.admin.auth.Principal;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.config.Durations;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.control.Change;
import dev.sluice.agent.control.ChangeContext;
import dev.sluice.agent.control.ChangeOutcome;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.control.GatewayState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ControlService}: reads each request into a {@link Change}, then applies the rules that
 * belong to the caller rather than to the change — a required reason, the caller's scope, the
 * agent's maximum time-to-live, the {@code permanent-override} permission — and hands what passes
 * to {@link GatewayControl#apply}. Every call, refused or not, ends as one audit entry, whose id
 * the answer carries. Runs on gRPC's executor threads, never on an event loop.
 */
public final class ControlGrpcService extends ControlServiceGrpc.ControlServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(ControlGrpcService.class);

  private final GatewayControl control;
  private final AuditLog audit;
  private final RevertPlanner planner;
  private final OverrideLedger ledger;
  private final Duration maxTtl;
  private final Clock clock;
  /**
   * Admin mutations one at a time, so that the audited before- and after-states are those of this
   * change alone; mutations are rare and never on the data path.
   */
  private final ReentrantLock mutations = new ReentrantLock();

  public ControlGrpcService(GatewayControl control, AuditLog audit, OverrideLedger ledger,
      Duration maxTtl, Clock clock) {
    this.control = control;
    this.audit = audit;
    this.ledger = ledger;
    this.maxTtl = maxTtl;
    this.clock = clock;
    this.planner = new RevertPlanner(audit, control, clock);
  }

  @Override
  public void tripBreaker(TripBreakerRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.trip(request), null, responses);
  }

  @Override
  public void forceCloseBreaker(ForceCloseBreakerRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.forceClose(request), null, responses);
  }

  @Override
  public void resetBreaker(ResetBreakerRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.reset(request), null, responses);
  }

  @Override
  public void drainInstance(DrainInstanceRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.drain(request), null, responses);
  }

  @Override
  public void undrainInstance(UndrainInstanceRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.undrain(request), null, responses);
  }

  @Override
  public void setRateLimit(SetRateLimitRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.setRateLimit(request), null, responses);
  }

  @Override
  public void clearRateLimit(ClearRateLimitRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.clearRateLimit(request), null, responses);
  }

  @Override
  public void upsertRoute(UpsertRouteRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.upsertRoute(request), null, responses);
  }

  @Override
  public void deleteRoute(DeleteRouteRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.deleteRoute(request), null, responses);
  }

  @Override
  public void extendOverride(ExtendOverrideRequest request, StreamObserver<ChangeResult> responses) {
    mutate(ChangeRequest.extend(request), null, responses);
  }

  @Override
  public void revertAuditEntry(RevertAuditEntryRequest request, StreamObserver<ChangeResult> responses) {
    Principal principal = principal();
    RevertPlanner.Plan plan;
    try {
      plan = AuditEntry.numberOf(request.getEntryId()) < 0 ? null
          : planner.plan(request.getEntryId()).orElse(null);
    } catch (IOException e) {
      log.error("Reading the audit log failed", e);
      responses.onError(Status.INTERNAL.withDescription("audit log could not be read").asRuntimeException());
      return;
    }
    String target = plan == null ? "audit:" + request.getEntryId() : plan.entry().target();
    if (plan == null || !plan.revertible()) {
      String why = plan == null ? "no audit entry " + request.getEntryId() : plan.notRevertible();
      Verdict verdict = refuse(principal, "RevertAuditEntry", target, request.getContext().getReason(),
          request.getContext(), plan == null ? AuditOutcome.INVALID : AuditOutcome.REFUSED, why,
          request.getEntryId(), plan == null
              ? Status.NOT_FOUND.withDescription(why).asRuntimeException()
              : Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException());
      answer(verdict, responses);
      return;
    }
    if (!plan.laterChanges().isEmpty() && !request.getUndoLaterChanges()) {
      List<String> later = plan.laterChanges().stream()
          .map(e -> e.id() + " (" + e.rpc() + " by " + e.principal() + ")").toList();
      String why = "reverting " + plan.entry().id() + " would also undo later changes to "
          + target + ": " + String.join(", ", later) + "; repeat with undo_later_changes to do so";
      answer(refuse(principal, "RevertAuditEntry", target, request.getContext().getReason(),
          request.getContext(), AuditOutcome.REFUSED, why, plan.entry().id(),
          Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException()), responses);
      return;
    }
    Change change = ((TargetJson.Reverse.Apply) plan.reverse()).change();
    ChangeRequest parsed = ChangeRequest.of(
        "RevertAuditEntry/" + change.getClass().getSimpleName(), change, request.getContext());
    mutate(parsed, plan.entry().id(), responses);
  }

  @Override
  public void validateChange(ValidateChangeRequest request, StreamObserver<ValidateChangeResponse> responses) {
    ChangeRequest parsed = switch (request.getChangeCase()) {
      case UPSERT_ROUTE -> ChangeRequest.upsertRoute(request.getUpsertRoute());
      case DELETE_ROUTE -> ChangeRequest.deleteRoute(request.getDeleteRoute());
      case SET_RATE_LIMIT -> ChangeRequest.setRateLimit(request.getSetRateLimit());
      case CLEAR_RATE_LIMIT -> ChangeRequest.clearRateLimit(request.getClearRateLimit());
      case TRIP_BREAKER -> ChangeRequest.trip(request.getTripBreaker());
      case FORCE_CLOSE_BREAKER -> ChangeRequest.forceClose(request.getForceCloseBreaker());
      case RESET_BREAKER -> ChangeRequest.reset(request.getResetBreaker());
      case DRAIN_INSTANCE -> ChangeRequest.drain(request.getDrainInstance());
      case UNDRAIN_INSTANCE -> ChangeRequest.undrain(request.getUndrainInstance());
      case EXTEND_OVERRIDE -> ChangeRequest.extend(request.getExtendOverride());
      case CHANGE_NOT_SET -> null;
    };
    if (parsed == null) {
      responses.onError(GrpcErrors.invalidArgument(List.of(Map.entry("change", "is required"))));
      return;
    }
    Verdict verdict = decide(principal(), parsed, true, null);
    ValidateChangeResponse.Builder response = ValidateChangeResponse.newBuilder();
    ChangeOutcome outcome = verdict.outcome();
    if (outcome instanceof ChangeOutcome.Applied applied) {
      // Before and after from the same writer, so a client can diff them field by field.
      response.setValid(true).setBeforeJson(applied.beforeJson()).setAfterJson(applied.afterJson());
    } else if (outcome instanceof ChangeOutcome.Invalid invalid) {
      for (Violation v : invalid.violations()) {
        response.addViolations(FieldViolation.newBuilder().setField(v.path()).setDescription(v.message()));
      }
    } else if (outcome instanceof ChangeOutcome.Conflict conflict) {
      response.setConflict(VersionConflict.newBuilder().setExpectedVersion(conflict.expectedVersion())
          .setCurrentVersion(conflict.currentVersion()));
    } else if (outcome instanceof ChangeOutcome.FloorRefused floor) {
      response.setFloor(floorDetail(floor));
    } else {
      // Denied (or not found): refusals that are not about the change's content are errors.
      responses.onError(verdict.error());
      return;
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  /** Lets the audit service answer PlanRevert with the same rules RevertAuditEntry applies. */
  public RevertPlanner planner() {
    return planner;
  }

  private void mutate(ChangeRequest request, @Nullable String revertsEntryId,
      StreamObserver<ChangeResult> responses) {
    answer(decide(principal(), request, false, revertsEntryId), responses);
  }

  private void answer(Verdict verdict, StreamObserver<ChangeResult> responses) {
    if (verdict.error() != null) {
      responses.onError(verdict.error());
      return;
    }
    ChangeOutcome.Applied applied = (ChangeOutcome.Applied) verdict.outcome();
    ChangeResult.Builder result = ChangeResult.newBuilder()
        .setVersion(applied.version())
        .setAuditEntryId(verdict.entry() == null ? "" : verdict.entry().id())
        .addAllWarnings(applied.warnings());
    if (applied.expiresAt() != null) {
      result.setExpiresAt(AdminProtoMapper.timestamp(applied.expiresAt()));
    }
    responses.onNext(result.build());
    responses.onCompleted();
  }

  /** What became of one call: the control plane's outcome (null when refused here), its audit entry, the error. */
  private record Verdict(@Nullable ChangeOutcome outcome, @Nullable AuditEntry entry,
                         @Nullable StatusRuntimeException error) {}

  private Verdict decide(Principal principal, ChangeRequest request, boolean dryRun,
      @Nullable String revertsEntryId) {
    String rpc = revertsEntryId == null && dryRun ? "ValidateChange/" + request.rpc() : request.rpc();
    if (!request.valid()) {
      List<Violation> violations = request.violations().stream()
          .map(v -> new Violation(v.getKey(), v.getValue())).toList();
      return refuseInvalid(principal, rpc, request, new ChangeOutcome.Invalid(violations), revertsEntryId);
    }
    Change change = request.change();
    GatewayState state = control.state();
    String scopeProblem = scopeProblem(principal, change, state);
    if (scopeProblem != null) {
      return refuse(principal, rpc, request, AuditOutcome.DENIED, scopeProblem, revertsEntryId,
          Status.PERMISSION_DENIED.withDescription(scopeProblem).asRuntimeException());
    }
    Duration ttl = request.ttl();
    if (ttl != null && ttl.compareTo(maxTtl) > 0) {
      String why = "ttl " + Durations.format(ttl) + " is above this agent's maximum of " + Durations.format(maxTtl);
      return refuse(principal, rpc, request, AuditOutcome.REFUSED, why, revertsEntryId,
          GrpcErrors.invalidArgument(List.of(Map.entry("ttl", why))));
    }
    if (request.permanentOverride() && !principal.hasPermission(Principal.PERMANENT_OVERRIDE)) {
      String why = principal.name() + " may not set an override without a ttl: that needs the "
          + Principal.PERMANENT_OVERRIDE + " permission (give a ttl of at most " + Durations.format(maxTtl) + ")";
      return refuse(principal, rpc, request, AuditOutcome.DENIED, why, revertsEntryId,
          Status.PERMISSION_DENIED.withDescription(why).asRuntimeException());
    }
    ChangeContext context = new ChangeContext(principal.name(), principal.role().label(), request.reason(),
        request.incidentId(), request.expectedVersion(), dryRun);
    mutations.lock();
    try {
      String before = TargetJson.of(control.state(), request.target());
      ChangeOutcome outcome = control.apply(context, change);
      if (outcome instanceof ChangeOutcome.Applied applied) {
        String after = dryRun ? applied.afterJson() : TargetJson.of(control.state(), request.target());
        AuditEntry entry = append(new AuditDraft(principal.name(), principal.role(), rpc, request.target(),
            request.reason(), request.incidentId(), emptyToNull(before), emptyToNull(after),
            request.expectedVersion(), dryRun ? 0 : applied.version(),
            dryRun ? AuditOutcome.VALIDATED : AuditOutcome.APPLIED, appliedMessage(applied, dryRun),
            revertsEntryId, applied.belowFloor()));
        if (!dryRun) {
          if (entry != null) {
            ledger.applied(request.target(), entry.id());
          }
          ledger.refresh();
        }
        return new Verdict(applied, entry, null);
      }
      return refuseOutcome(principal, rpc, request, outcome, revertsEntryId);
    } finally {
      mutations.unlock();
    }
  }

  private Verdict refuseOutcome(Principal principal, String rpc, ChangeRequest request, ChangeOutcome outcome,
      @Nullable String revertsEntryId) {
    if (outcome instanceof ChangeOutcome.Invalid invalid) {
      return refuseInvalid(principal, rpc, request, invalid, revertsEntryId);
    }
    if (outcome instanceof ChangeOutcome.Conflict conflict) {
      String why = "expected version " + conflict.expectedVersion() + " but the current version is "
          + conflict.currentVersion() + "; read the state again and retry";
      StatusRuntimeException error = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Code.FAILED_PRECONDITION_VALUE).setMessage(why)
          .addDetails(Any.pack(VersionConflict.newBuilder().setExpectedVersion(conflict.expectedVersion())
              .setCurrentVersion(conflict.currentVersion()).build())).build());
      Verdict verdict = refuse(principal, rpc, request, AuditOutcome.CONFLICT, why, revertsEntryId, error);
      return new Verdict(outcome, verdict.entry(), error);
    }
    if (outcome instanceof ChangeOutcome.FloorRefused floor) {
      StatusRuntimeException error = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Code.FAILED_PRECONDITION_VALUE).setMessage(floor.message())
          .addDetails(Any.pack(floorDetail(floor))).build());
      Verdict verdict = refuse(principal, rpc, request, AuditOutcome.REFUSED, floor.message(), revertsEntryId, error);
      return new Verdict(outcome, verdict.entry(), error);
    }
    ChangeOutcome.NotFound notFound = (ChangeOutcome.NotFound) outcome;
    String why = notFound.what() + " does not exist";
    return refuse(principal, rpc, request, AuditOutcome.INVALID, why, revertsEntryId,
        Status.NOT_FOUND.withDescription(why).asRuntimeException());
  }

  private Verdict refuseInvalid(Principal principal, String rpc, ChangeRequest request,
      ChangeOutcome.Invalid invalid, @Nullable String revertsEntryId) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (Violation v : invalid.violations()) {
      pairs.add(Map.entry(protoPath(v.path()), v.message()));
    }
    StatusRuntimeException error = GrpcErrors.invalidArgument(pairs);
    Verdict verdict = refuse(principal, rpc, request, AuditOutcome.INVALID,
        error.getStatus().getDescription() == null ? "invalid" : error.getStatus().getDescription(),
        revertsEntryId, error);
    return new Verdict(invalid, verdict.entry(), error);
  }

  private Verdict refuse(Principal principal, String rpc, ChangeRequest request, AuditOutcome outcome,
      String why, @Nullable String revertsEntryId, StatusRuntimeException error) {
    AuditEntry entry = append(new AuditDraft(principal.name(), principal.role(), rpc, request.target(),
        request.reason(), request.incidentId(), null, null, request.expectedVersion(), 0, outcome, why,
        revertsEntryId, false));
    return new Verdict(null, entry, error);
  }

  private Verdict refuse(Principal principal, String rpc, String target, String reason,
      dev.sluice.admin.v1.ChangeContext context, AuditOutcome outcome, String why,
      @Nullable String revertsEntryId, StatusRuntimeException error) {
    AuditEntry entry = append(new AuditDraft(principal.name(), principal.role(), rpc, target, reason.strip(),
        context.getIncidentId().isBlank() ? null : context.getIncidentId(), null, null,
        context.getExpectedVersion(), 0, outcome, why, revertsEntryId, false));
    return new Verdict(null, entry, error);
  }

  private @Nullable AuditEntry append(AuditDraft draft) {
    try {
      return audit.append(draft);
    } catch (IOException e) {
      // The change (if any) is in force; an operator must hear that its record is missing.
      log.error("Could not audit {} {} by {} ({})", draft.rpc(), draft.target(), draft.principal(),
          draft.outcome(), e);
      return null;
    }
  }

  /**
   * Why the principal's scope does not cover the change, or null when it does. Route changes are
   * checked against the route's path and its service, before and after an upsert.
   */
  static @Nullable String scopeProblem(Principal principal, Change change, GatewayState state) {
    Scope scope = principal.scope();
    if (scope.isUnrestricted()) {
      return null;
    }
    List<String> services = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    String directService = change.serviceName();
    String directRoute = change.routeName();
    if (directService != null) {
      services.add(directService);
    } else if (change instanceof Change.ExtendOverride c) {
      if (c.override() instanceof Change.OverrideRef.Breaker b) {
        services.add(b.service());
      } else if (c.override() instanceof Change.OverrideRef.DrainOf d) {
        services.add(d.service());
      } else if (c.override() instanceof Change.OverrideRef.Limit l) {
        addRoute(state, l.routeId(), services, paths);
      }
    } else if (change instanceof Change.UpsertRoute c) {
      services.add(c.route().service());
      paths.add(c.route().match().path());
      addRoute(state, c.route().id(), services, paths);
    } else if (directRoute != null) {
      addRoute(state, directRoute, services, paths);
    }
    for (String service : services) {
      if (!scope.permits(service)) {
        return principal.name() + " is scoped to " + scope.describe() + "; service " + service
            + " is outside that scope (" + change.target() + ")";
      }
    }
    for (String path : paths) {
      if (!scope.permitsRoute(path)) {
        return principal.name() + " is scoped to " + scope.describe() + "; route path " + path
            + " is outside that scope (" + change.target() + ")";
      }
    }
    return null;
  }

  private static void addRoute(GatewayState state, String routeId, List<String> services, List<String> paths) {
    for (GatewayState.RouteState route : state.routes()) {
      if (route.route().id().equals(routeId)) {
        services.add(route.route().service());
        paths.add(route.route().match().path());
      }
    }
  }

  /**
   * The control plane names fields as the Java records do ({@code instanceId}, {@code route.stripPrefix});
   * the API names them as the proto request does ({@code instance_id}, {@code route.strip_prefix}).
   */
  static String protoPath(String path) {
    StringBuilder proto = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isUpperCase(c)) {
        proto.append('_').append(Character.toLowerCase(c));
      } else {
        proto.append(c);
      }
    }
    return proto.toString();
  }

  private static FloorViolation floorDetail(ChangeOutcome.FloorRefused floor) {
    return FloorViolation.newBuilder().setService(floor.service()).setServingAfter(floor.servingAfter())
        .setTotalInstances(floor.totalInstances()).setMinHealthyPercent(floor.minHealthyPercent()).build();
  }

  private String appliedMessage(ChangeOutcome.Applied applied, boolean dryRun) {
    StringBuilder message = new StringBuilder(dryRun ? "validated; nothing applied" : "applied");
    Instant expires = applied.expiresAt();
    if (expires != null) {
      message.append("; ends by itself at ").append(expires);
    }
    if (applied.belowFloor()) {
      message.append("; below the healthy-instance floor on explicit request");
    }
    for (String warning : applied.warnings()) {
      message.append("; ").append(warning);
    }
    return message.toString();
  }

  private static Principal principal() {
    Optional<Principal> principal = AuthContext.principal();
    // The interceptor runs before every service; a call without a principal never gets here.
    return principal.orElseThrow(() -> new IllegalStateException("no authenticated principal"));
  }

  private static @Nullable String emptyToNull(String json) {
    return json.isEmpty() ? null : json;
  }
}
