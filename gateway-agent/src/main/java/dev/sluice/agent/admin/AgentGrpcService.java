package dev.sluice.agent.admin;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.Listener;
import dev.sluice.admin.v1.ListenerProtocol;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.agent.admin.auth.AuthContext;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.telemetry.HistoryRing;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code AgentService}: who the agent is ({@link Identity}), who the caller is (from the
 * authenticated principal), and the effective state as a snapshot read from the control plane.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {

  /** Capabilities this agent serves; a console disables what is not listed. */
  public static final List<String> FEATURES =
      List.of("telemetry", "history", "events", "audit", "ttl-overrides", "revert", "scoped-roles", "floors");

  /**
   * What GetAgentInfo reports besides the live figures.
   *
   * @param listeners every listener as bound, the admin one included
   */
  public record Identity(String agentId, String cluster, String host, String version, Instant startedAt,
                         String configPath, Supplier<List<AgentListener>> listeners) {}

  /**
   * One bound listener: its name (the config's for a proxy listener, else "admin" or "metrics"),
   * what it serves, "host:port", and whether it serves TLS.
   */
  public record AgentListener(String name, Kind kind, String address, boolean tls) {
    public enum Kind { HTTP, HTTPS, ADMIN_GRPC, METRICS }

    /** A listener that serves TLS exactly when it is an HTTPS one. */
    public AgentListener(String name, Kind kind, String address) {
      this(name, kind, address, kind == Kind.HTTPS);
    }
  }

  private final Identity identity;
  private final GatewayControl control;
  private final HistoryRing history;
  private final OverrideLedger ledger;
  private final Duration maxOverrideTtl;
  private final Clock clock;

  public AgentGrpcService(Identity identity, GatewayControl control, HistoryRing history, OverrideLedger ledger,
      Duration maxOverrideTtl, Clock clock) {
    this.identity = identity;
    this.control = control;
    this.history = history;
    this.ledger = ledger;
    this.maxOverrideTtl = maxOverrideTtl;
    this.clock = clock;
  }

  @Override
  public void getAgentInfo(GetAgentInfoRequest request, StreamObserver<AgentInfo> responses) {
    AgentInfo.Builder info = AgentInfo.newBuilder()
        .setAgentId(identity.agentId())
        .setCluster(identity.cluster())
        .setHost(identity.host())
        .setVersion(identity.version())
        .setStartedAt(AdminProtoMapper.timestamp(identity.startedAt()))
        .setUptime(AdminProtoMapper.duration(Duration.between(identity.startedAt(), clock.instant())))
        .setConfigVersion(control.version())
        .setConfigPath(identity.configPath())
        .addAllFeatures(FEATURES)
        .setHistoryRetention(AdminProtoMapper.duration(history.retention()))
        .setHistoryResolution(AdminProtoMapper.duration(history.resolution()))
        .setMaxOverrideTtl(AdminProtoMapper.duration(maxOverrideTtl));
    for (AgentListener listener : identity.listeners().get()) {
      info.addListeners(Listener.newBuilder().setName(listener.name())
          .setProtocol(ListenerProtocol.valueOf("LISTENER_PROTOCOL_" + listener.kind().name()))
          .setAddress(listener.address())
          .setTls(listener.tls()));
    }
    responses.onNext(info.build());
    responses.onCompleted();
  }

  @Override
  public void getSession(GetSessionRequest request, StreamObserver<Session> responses) {
    var principal = AuthContext.principal();
    if (principal.isEmpty()) {
      responses.onError(Status.UNAUTHENTICATED.withDescription("no authenticated caller").asRuntimeException());
      return;
    }
    responses.onNext(AdminProtoMapper.session(principal.get()));
    responses.onCompleted();
  }

  @Override
  public void getSnapshot(GetSnapshotRequest request, StreamObserver<Snapshot> responses) {
    responses.onNext(StateProtoMapper.snapshot(control.state(), ledger::auditEntryId));
    responses.onCompleted();
  }
}
