package dev.sluice.console.connection;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.ForceCloseBreakerRequest;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UndrainInstanceRequest;
import dev.sluice.admin.v1.WatchEventsRequest;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The console's connection to one gateway's admin API: owns the gRPC channel, attaches (agent info,
 * session, snapshot), keeps the telemetry and event streams open, retries with backoff and resyncs
 * from a fresh snapshot after every reconnect. Everything runs on its own background threads and is
 * reported to a {@link GatewayListener}; no method blocks the caller.
 */
public final class GatewayClient implements GatewayControl, AutoCloseable {
  private static final Duration UNARY_DEADLINE = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(10);
  private static final Set<Status.Code> FATAL =
      Set.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED, Status.Code.UNIMPLEMENTED);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final GatewayTarget target;
  private final GatewayListener listener;
  private final Duration telemetryInterval;
  private final Clock clock;
  private final ManagedChannel channel;
  /** Attach, reconnect and resync run here, one at a time, so they never race each other. */
  private final ScheduledExecutorService lifecycle;
  private final ExecutorService mutations;
  /** Long reads (history, event lists, exports) run here so they never hold up a mutation. */
  private final ExecutorService reads;
  private final java.util.concurrent.atomic.AtomicBoolean refreshQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicReference<ConnectionState> state =
      new AtomicReference<>(ConnectionState.connecting());

  /** Why no connection can be tried at all (unreadable TLS files); null when all is well. */
  private final @Nullable String setupProblem;
  private volatile long knownVersion = -1;
  private volatile long lastEventSequence;
  private volatile @Nullable Instant lastDataAt;
  private volatile boolean closed;
  private volatile Context.@Nullable CancellableContext streams;
  private int failedAttempts;

  public GatewayClient(GatewayTarget target, GatewayListener listener, Duration telemetryInterval) {
    this(target, listener, telemetryInterval, Clock.systemUTC());
  }

  GatewayClient(
      GatewayTarget target, GatewayListener listener, Duration telemetryInterval, Clock clock) {
    this.target = target;
    this.listener = listener;
    this.telemetryInterval = telemetryInterval;
    this.clock = clock;
    ChannelCredentials credentials = InsecureChannelCredentials.create();
    String problem = null;
    try {
      credentials = credentials(target.tls());
    } catch (java.io.IOException | IllegalArgumentException e) {
      problem = "TLS material unusable: " + e.getMessage();
    }
    this.setupProblem = problem;
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(target.host(), target.port(), credentials)
            .keepAliveTime(30, TimeUnit.SECONDS);
    String token = target.token();
    if (token != null) {
      builder.intercept(new BearerToken(token));
    }
    this.channel = builder.build();
    this.lifecycle =
        Executors.newSingleThreadScheduledExecutor(
            daemon("sluice-gateway-" + target.address()));
    this.mutations = Executors.newSingleThreadExecutor(daemon("sluice-control-" + target.address()));
    this.reads = Executors.newSingleThreadExecutor(daemon("sluice-reads-" + target.address()));
  }

  public GatewayTarget target() {
    return target;
  }

  public ConnectionState state() {
    return state.get();
  }

  /** Starts attaching in the background; progress arrives through the listener. */
  public void start() {
    lifecycle.execute(this::attach);
  }

  /** Reads a fresh snapshot in the background (the user's refresh, or after a change). */
  public void refresh() {
    if (closed) {
      return;
    }
    if (!refreshQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      lifecycle.execute(() -> {
        refreshQueued.set(false);
        fetchSnapshot();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile: there is nothing left to refresh.
    }
  }

  @Override
  public CompletableFuture<ChangeResult> tripBreaker(String service, Change change) {
    return mutate(
        () ->
            control()
                .tripBreaker(
                    TripBreakerRequest.newBuilder()
                        .setContext(context(change))
                        .setService(service)
                        .build()));
  }

  @Override
  public CompletableFuture<ChangeResult> forceCloseBreaker(String service, Change change) {
    return mutate(
        () ->
            control()
                .forceCloseBreaker(
                    ForceCloseBreakerRequest.newBuilder()
                        .setContext(context(change))
                        .setService(service)
                        .build()));
  }

  @Override
  public CompletableFuture<ChangeResult> resetBreaker(String service, Change change) {
    return mutate(
        () ->
            control()
                .resetBreaker(
                    ResetBreakerRequest.newBuilder()
                        .setContext(context(change))
                        .setService(service)
                        .build()));
  }

  @Override
  public CompletableFuture<ChangeResult> drainInstance(
      String service, String instanceId, Change change) {
    return drain(service, instanceId, change, false);
  }

  @Override
  public CompletableFuture<ChangeResult> undrainInstance(
      String service, String instanceId, Change change) {
    return mutate(
        () ->
            control()
                .undrainInstance(
                    UndrainInstanceRequest.newBuilder()
                        .setContext(context(change))
                        .setService(service)
                        .setInstanceId(instanceId)
                        .build()));
  }

  @Override
  public CompletableFuture<ChangeResult> drainBelowFloor(
      String service, String instanceId, Change change) {
    return drain(service, instanceId, change, true);
  }

  private CompletableFuture<ChangeResult> drain(
      String service, String instanceId, Change change, boolean allowBelowFloor) {
    return mutate(
        () ->
            control()
                .drainInstance(
                    DrainInstanceRequest.newBuilder()
                        .setContext(context(change))
                        .setService(service)
                        .setInstanceId(instanceId)
                        .setAllowBelowFloor(allowBelowFloor)
                        .build()));
  }

  @Override
  public CompletableFuture<ChangeResult> extendOverride(
      dev.sluice.admin.v1.OverrideTarget target, Duration ttl, Change change) {
    return mutate(
        () ->
            control()
                .extendOverride(
                    dev.sluice.admin.v1.ExtendOverrideRequest.newBuilder()
                        .setContext(context(change))
                        .setTarget(target)
                        .setTtl(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()))
                        .build()));
  }

  /**
   * Runs a control call that has no method of its own here (the editors' validate and apply, TTL
   * overrides, reverts) on the mutation thread, then reads a fresh snapshot.
   */
  public <T> CompletableFuture<T> control(
      java.util.function.Function<ControlServiceGrpc.ControlServiceBlockingStub, T> call) {
    return mutate(() -> call.apply(control()));
  }

  /** Reads the audit log (entries, revert plans) on the mutation thread. */
  public <T> CompletableFuture<T> audit(
      java.util.function.Function<dev.sluice.admin.v1.AuditServiceGrpc.AuditServiceBlockingStub, T>
          call) {
    return CompletableFuture.supplyAsync(
        () -> call.apply(dev.sluice.admin.v1.AuditServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(UNARY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)),
        mutations);
  }

  /**
   * Runs a read-only call on the channel (telemetry history, event lists, an export's reads) on a
   * background thread of its own; the caller sets its own deadline on the stubs it makes.
   */
  public <T> CompletableFuture<T> read(java.util.function.Function<Channel, T> call) {
    return CompletableFuture.supplyAsync(() -> call.apply(channel), reads);
  }

  @Override
  public void close() {
    closed = true;
    cancelStreams();
    lifecycle.shutdownNow();
    mutations.shutdownNow();
    reads.shutdownNow();
    channel.shutdownNow();
  }

  private void attach() {
    if (closed) {
      return;
    }
    if (setupProblem != null) {
      setState(ConnectionState.Phase.FAILED, setupProblem);
      return;
    }
    cancelStreams();
    try {
      var agent = agent();
      var info = agent.getAgentInfo(GetAgentInfoRequest.getDefaultInstance());
      var session = agent.getSession(GetSessionRequest.getDefaultInstance());
      var snapshot = agent.getSnapshot(GetSnapshotRequest.getDefaultInstance());
      markData();
      knownVersion = snapshot.getConfigVersion();
      listener.onAttached(info, session);
      listener.onSnapshot(snapshot);
      openStreams();
      failedAttempts = 0;
      setState(ConnectionState.Phase.LIVE, "attached to " + info.getAgentId());
    } catch (StatusRuntimeException e) {
      if (FATAL.contains(e.getStatus().getCode())) {
        setState(ConnectionState.Phase.FAILED, describe(e.getStatus()));
      } else {
        scheduleReconnect(e.getStatus());
      }
    }
  }

  private void openStreams() {
    Context.CancellableContext ctx = Context.current().withCancellation();
    streams = ctx;
    long from = lastEventSequence == 0 ? 1 : lastEventSequence + 1;
    ctx.run(
        () -> {
          TelemetryServiceGrpc.newStub(channel)
              .watchTelemetry(
                  WatchTelemetryRequest.newBuilder()
                      .setInterval(
                          com.google.protobuf.Duration.newBuilder()
                              .setSeconds(telemetryInterval.getSeconds())
                              .setNanos(telemetryInterval.getNano()))
                      .build(),
                  new StreamWatcher<TelemetryFrame>(ctx) {
                    @Override
                    void receive(TelemetryFrame frame) {
                      if (frame.getConfigVersion() != knownVersion) {
                        refresh();
                      }
                      listener.onTelemetry(frame);
                    }
                  });
          EventServiceGrpc.newStub(channel)
              .watchEvents(
                  WatchEventsRequest.newBuilder().setFromSequence(from).build(),
                  new StreamWatcher<Event>(ctx) {
                    @Override
                    void receive(Event event) {
                      lastEventSequence = Math.max(lastEventSequence, event.getSequence());
                      if (event.getKind() == EventKind.EVENT_KIND_CONFIG_CHANGED
                          && event.getConfigChanged().getVersion() > knownVersion) {
                        refresh();
                      }
                      // Registry-driven changes keep the config version: refresh on them too.
                      if (event.getKind() == EventKind.EVENT_KIND_HEALTH_CHANGED
                          || event.getKind() == EventKind.EVENT_KIND_REGISTRY_STALE) {
                        refresh();
                      }
                      listener.onEvent(event);
                    }
                  });
        });
  }

  private void fetchSnapshot() {
    if (closed || state.get().phase() != ConnectionState.Phase.LIVE) {
      return;
    }
    try {
      Snapshot snapshot = agent().getSnapshot(GetSnapshotRequest.getDefaultInstance());
      knownVersion = snapshot.getConfigVersion();
      markData();
      listener.onSnapshot(snapshot);
    } catch (StatusRuntimeException e) {
      // The streams notice a broken link too and drive the reconnect; nothing to add here.
    }
  }

  private void streamEnded(Context.CancellableContext ctx, Status status) {
    if (closed || ctx != streams) {
      return;
    }
    cancelStreams();
    scheduleReconnect(status);
  }

  private void scheduleReconnect(Status status) {
    if (closed) {
      return;
    }
    long base = Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failedAttempts, 5));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    failedAttempts++;
    ConnectionState.Phase phase =
        lastDataAt == null ? ConnectionState.Phase.CONNECTING : ConnectionState.Phase.RECONNECTING;
    setState(phase, describe(status) + "; retrying in " + Math.max(1, delay / 1000) + " s");
    try {
      lifecycle.schedule(this::attach, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed while this attempt failed: no retry is wanted.
    }
  }

  private void cancelStreams() {
    Context.@Nullable CancellableContext ctx = streams;
    streams = null;
    if (ctx != null) {
      ctx.cancel(null);
    }
  }

  private <T> CompletableFuture<T> mutate(Supplier<T> call) {
    if (target.viewOnly()) {
      return CompletableFuture.failedFuture(Status.PERMISSION_DENIED
          .withDescription("this connection is view-only: the console sends no changes")
          .asRuntimeException());
    }
    return CompletableFuture.supplyAsync(call, mutations)
        .whenComplete((result, error) -> refresh());
  }

  private static ChannelCredentials credentials(GatewayTarget.Tls tls) throws java.io.IOException {
    if (!tls.enabled()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    if (tls.caFile() != null) {
      builder.trustManager(tls.caFile().toFile());
    }
    if (tls.clientCert() != null && tls.clientKey() != null) {
      builder.keyManager(tls.clientCert().toFile(), tls.clientKey().toFile());
    }
    return builder.build();
  }

  private static ChangeContext context(Change change) {
    return ChangeContext.newBuilder()
        .setExpectedVersion(change.expectedVersion())
        .setReason(change.reason())
        .build();
  }

  private AgentServiceGrpc.AgentServiceBlockingStub agent() {
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(UNARY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ControlServiceGrpc.ControlServiceBlockingStub control() {
    return ControlServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(UNARY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void markData() {
    lastDataAt = clock.instant();
  }

  private void setState(ConnectionState.Phase phase, String detail) {
    ConnectionState next = new ConnectionState(phase, lastDataAt, detail);
    state.set(next);
    listener.onState(next);
  }

  private static String describe(Status status) {
    String description = status.getDescription();
    return status.getCode() + (description == null ? "" : ": " + description);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Hands stream items to the listener and reports the end of the stream to the lifecycle thread. */
  private abstract class StreamWatcher<T> implements StreamObserver<T> {
    private final Context.CancellableContext ctx;

    StreamWatcher(Context.CancellableContext ctx) {
      this.ctx = ctx;
    }

    abstract void receive(T item);

    @Override
    public void onNext(T item) {
      markData();
      receive(item);
    }

    @Override
    public void onError(Throwable t) {
      ended(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended(Status.UNAVAILABLE.withDescription("stream ended by gateway"));
    }

    private void ended(Status status) {
      if (closed || ctx.isCancelled()) {
        return;
      }
      try {
        lifecycle.execute(() -> streamEnded(ctx, status));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed meanwhile: nobody waits for a reconnect any more.
      }
    }
  }

  /** Sends the session's bearer token with every call. */
  private static final class BearerToken implements ClientInterceptor {
    private final String header;

    BearerToken(String token) {
      this.header = "Bearer " + token;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(
        MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<A> responseListener, Metadata headers) {
          headers.put(AUTHORIZATION, header);
          super.start(responseListener, headers);
        }
      };
    }
  }
}
