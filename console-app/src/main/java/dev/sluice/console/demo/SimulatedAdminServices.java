package dev.sluice.console.demo;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.AuthMethod;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.ForceCloseBreakerRequest;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetAuditEntryRequest;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UndrainInstanceRequest;
import dev.sluice.admin.v1.WatchEventsRequest;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API's gRPC services over a {@link SimulatedGateway}: thin translations of each rpc, as
 * the real agent's admin server will have. Rpcs the simulator does not model answer UNIMPLEMENTED.
 */
final class SimulatedAdminServices {
  private SimulatedAdminServices() {}

  static List<BindableService> all(
      SimulatedGateway gateway, ScheduledExecutorService timer, Supplier<String> address) {
    return List.of(
        new Agent(gateway, address),
        new Telemetry(gateway, timer),
        new Events(gateway),
        new Audit(gateway),
        new Control(gateway));
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    try {
      T value = call.get();
      out.onNext(value);
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    }
  }

  private static final class Agent extends AgentServiceGrpc.AgentServiceImplBase {
    private final SimulatedGateway gateway;
    private final Supplier<String> address;

    Agent(SimulatedGateway gateway, Supplier<String> address) {
      this.gateway = gateway;
      this.address = address;
    }

    @Override
    public void getAgentInfo(GetAgentInfoRequest request, StreamObserver<AgentInfo> out) {
      answer(out, () -> gateway.agentInfo(address.get()));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> out) {
      SimulatedCaller caller = SimulatedCaller.current();
      Session.Builder session = Session.newBuilder()
          .setPrincipal(caller.principal())
          .setRole(caller.role())
          .setAuthMethod(AuthMethod.AUTH_METHOD_BEARER_TOKEN);
      if (caller.role() == Role.ROLE_OPERATOR) {
        session.addPermissions("permanent-override");
      }
      answer(out, session::build);
    }

    @Override
    public void getSnapshot(GetSnapshotRequest request, StreamObserver<Snapshot> out) {
      answer(out, gateway::snapshot);
    }
  }

  private static final class Telemetry extends TelemetryServiceGrpc.TelemetryServiceImplBase {
    private final SimulatedGateway gateway;
    private final ScheduledExecutorService timer;

    Telemetry(SimulatedGateway gateway, ScheduledExecutorService timer) {
      this.gateway = gateway;
      this.timer = timer;
    }

    @Override
    public void watchTelemetry(WatchTelemetryRequest request, StreamObserver<TelemetryFrame> out) {
      Duration interval = request.hasInterval()
          ? Duration.ofSeconds(request.getInterval().getSeconds(), request.getInterval().getNanos())
          : Duration.ofSeconds(1);
      if (interval.toMillis() < 100) {
        out.onError(Status.INVALID_ARGUMENT
            .withDescription("interval: at least 100 ms, got " + interval.toMillis() + " ms")
            .asRuntimeException());
        return;
      }
      ServerCallStreamObserver<TelemetryFrame> call = (ServerCallStreamObserver<TelemetryFrame>) out;
      SimulatedGateway.WatcherCursor cursor = gateway.newCursor();
      boolean histograms = !request.getOmitHistograms();
      ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
        if (!call.isCancelled()) {
          call.onNext(gateway.frame(cursor, histograms));
        }
      }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
      call.setOnCancelHandler(() -> task.cancel(false));
    }
  }

  private static final class Events extends EventServiceGrpc.EventServiceImplBase {
    private final SimulatedGateway gateway;

    Events(SimulatedGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<Event> out) {
      ServerCallStreamObserver<Event> call = (ServerCallStreamObserver<Event>) out;
      call.setOnCancelHandler(() -> gateway.unwatchEvents(call));
      gateway.watchEvents(request.getFromSequence(), call);
    }

    @Override
    public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> out) {
      answer(out, () -> {
        List<Event> held = gateway.events();
        return ListEventsResponse.newBuilder()
            .addAllEvents(held)
            .setOldestAvailableSequence(held.isEmpty() ? 0 : held.get(0).getSequence())
            .build();
      });
    }
  }

  private static final class Audit extends AuditServiceGrpc.AuditServiceImplBase {
    private final SimulatedGateway gateway;

    Audit(SimulatedGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    public void listAuditEntries(
        ListAuditEntriesRequest request, StreamObserver<ListAuditEntriesResponse> out) {
      int size = request.getPageSize() <= 0 ? 100 : Math.min(1000, request.getPageSize());
      answer(out, () -> ListAuditEntriesResponse.newBuilder()
          .addAllEntries(gateway.auditEntries().stream()
              .filter(e -> e.getTarget().startsWith(request.getTargetPrefix()))
              .limit(size)
              .toList())
          .build());
    }

    @Override
    public void getAuditEntry(GetAuditEntryRequest request, StreamObserver<AuditEntry> out) {
      answer(out, () -> gateway.auditEntries().stream()
          .filter(e -> e.getId().equals(request.getId()))
          .findFirst()
          .orElseThrow(() -> Status.NOT_FOUND
              .withDescription("id: no audit entry \"" + request.getId() + "\"")
              .asRuntimeException()));
    }
  }

  private static final class Control extends ControlServiceGrpc.ControlServiceImplBase {
    private final SimulatedGateway gateway;

    Control(SimulatedGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    public void tripBreaker(TripBreakerRequest request, StreamObserver<ChangeResult> out) {
      answer(out, () -> gateway.change("TripBreaker", "breaker:" + request.getService(),
          request.getContext(),
          gateway.setBreakerOverride(request.getService(), BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN)));
    }

    @Override
    public void forceCloseBreaker(
        ForceCloseBreakerRequest request, StreamObserver<ChangeResult> out) {
      answer(out, () -> gateway.change("ForceCloseBreaker", "breaker:" + request.getService(),
          request.getContext(),
          gateway.setBreakerOverride(request.getService(),
              BreakerOverride.BREAKER_OVERRIDE_FORCED_CLOSED)));
    }

    @Override
    public void resetBreaker(ResetBreakerRequest request, StreamObserver<ChangeResult> out) {
      answer(out, () -> gateway.change("ResetBreaker", "breaker:" + request.getService(),
          request.getContext(), gateway.resetBreaker(request.getService())));
    }

    @Override
    public void drainInstance(DrainInstanceRequest request, StreamObserver<ChangeResult> out) {
      answer(out, () -> gateway.change("DrainInstance",
          "instance:" + request.getService() + "/" + request.getInstanceId(), request.getContext(),
          gateway.setDrained(request.getService(), request.getInstanceId(), true)));
    }

    @Override
    public void undrainInstance(UndrainInstanceRequest request, StreamObserver<ChangeResult> out) {
      answer(out, () -> gateway.change("UndrainInstance",
          "instance:" + request.getService() + "/" + request.getInstanceId(), request.getContext(),
          gateway.setDrained(request.getService(), request.getInstanceId(), false)));
    }
  }
}
