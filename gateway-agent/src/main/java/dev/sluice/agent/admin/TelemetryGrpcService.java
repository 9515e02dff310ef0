package dev.sluice.agent.admin;

import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import dev.sluice.agent.telemetry.FrameSink;
import dev.sluice.agent.telemetry.HistoryRing;
import dev.sluice.agent.telemetry.RouteFilter;
import dev.sluice.agent.telemetry.RouteHistory;
import dev.sluice.agent.telemetry.TelemetryHub;
import dev.sluice.agent.telemetry.TelemetryWatch;
import dev.sluice.agent.telemetry.TrafficFrame;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TelemetryService} over the {@link TelemetryHub}: each WatchTelemetry stream is a hub
 * watcher whose sink reports "not ready" while gRPC's outbound buffer for the stream is full, so a
 * slow client gets coalesced frames and holds up nobody. Frames are encoded on the hub's ticker
 * thread once per group of watchers that receive the same frame, and every stream of the group
 * writes those bytes as they are (the wire format is still {@code TelemetryFrame}). History is
 * streamed in chunks as the client takes them.
 */
public final class TelemetryGrpcService implements BindableService, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TelemetryGrpcService.class);
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** About 1 MB of encoded points per chunk, well under gRPC's 4 MB default message limit. */
  static final int POINTS_PER_HISTORY_CHUNK = 20_000;

  /** WatchTelemetry with frames that arrive already encoded (same method name and wire format). */
  static final MethodDescriptor<WatchTelemetryRequest, EncodedFrame> WATCH_TELEMETRY =
      TelemetryServiceGrpc.getWatchTelemetryMethod().toBuilder(
          TelemetryServiceGrpc.getWatchTelemetryMethod().getRequestMarshaller(),
          EncodedFrame.MARSHALLER).build();

  private final TelemetryHub hub;
  private final FrameEncoder encoder;
  private final AdminMetrics metrics;
  private final Map<StreamSink, Boolean> sinks = new ConcurrentHashMap<>();

  public TelemetryGrpcService(TelemetryHub hub, FrameExtras extras, AdminMetrics metrics) {
    this.hub = hub;
    this.encoder = new FrameEncoder(extras, metrics);
    this.metrics = metrics;
    hub.onCoalesced(metrics::framesCoalesced);
  }

  /** The generated service's methods, WatchTelemetry bound with the pass-through marshaller. */
  @Override
  public ServerServiceDefinition bindService() {
    ServiceDescriptor generated = TelemetryServiceGrpc.getServiceDescriptor();
    MethodDescriptor<GetTelemetryHistoryRequest, TelemetryHistoryChunk> history =
        TelemetryServiceGrpc.getGetTelemetryHistoryMethod();
    ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(WATCH_TELEMETRY)
        .addMethod(history)
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(WATCH_TELEMETRY, ServerCalls.asyncServerStreamingCall(this::watchTelemetry))
        .addMethod(history, ServerCalls.asyncServerStreamingCall(this::getTelemetryHistory))
        .build();
  }

  void watchTelemetry(WatchTelemetryRequest request, StreamObserver<EncodedFrame> responses) {
    Duration interval = request.hasInterval()
        ? AdminProtoMapper.duration(request.getInterval()) : DEFAULT_INTERVAL;
    if (interval.compareTo(TelemetryHub.MIN_WATCH_INTERVAL) < 0) {
      responses.onError(GrpcErrors.invalidArgument(List.of(Map.entry("interval",
          "must be at least " + TelemetryHub.MIN_WATCH_INTERVAL.toMillis() + " ms, was "
              + interval.toMillis() + " ms"))));
      return;
    }
    ServerCallStreamObserver<EncodedFrame> call =
        (ServerCallStreamObserver<EncodedFrame>) responses;
    StreamSink sink = new StreamSink(call, request.getOmitHistograms());
    RouteFilter filter = new RouteFilter(Set.copyOf(request.getRouteIdsList()),
        request.getRoutePrefix());
    sinks.put(sink, Boolean.TRUE);
    metrics.telemetryWatchers().incrementAndGet();
    call.setOnCancelHandler(sink::release);
    TelemetryWatch watch = hub.watch(interval, filter, sink);
    sink.watch = watch;
    if (sink.finished) {
      watch.close(); // cancelled before the watch existed
    }
  }

  void getTelemetryHistory(GetTelemetryHistoryRequest request,
      StreamObserver<TelemetryHistoryChunk> responses) {
    Instant from = request.hasFrom() ? AdminProtoMapper.instant(request.getFrom()) : null;
    Instant to = request.hasTo() ? AdminProtoMapper.instant(request.getTo()) : null;
    if (from != null && to != null && to.isBefore(from)) {
      responses.onError(GrpcErrors.invalidArgument(List.of(Map.entry("to", "must not be before from"))));
      return;
    }
    HistoryRing history = hub.history();
    Iterator<RouteHistory> routes = history.reader(from, to, new RouteFilter(
        Set.copyOf(request.getRouteIdsList()), request.getRoutePrefix()));
    Iterator<TelemetryHistoryChunk> chunks = AdminProtoMapper.historyChunks(routes,
        history.resolution(), POINTS_PER_HISTORY_CHUNK);
    ServerCallStreamObserver<TelemetryHistoryChunk> call =
        (ServerCallStreamObserver<TelemetryHistoryChunk>) responses;
    AtomicBoolean done = new AtomicBoolean();
    Runnable sendWhileReady = () -> {
      synchronized (chunks) {
        while (!done.get() && call.isReady() && chunks.hasNext()) {
          call.onNext(chunks.next());
        }
        if (!chunks.hasNext() && done.compareAndSet(false, true)) {
          // Chunks are built (and decoded) only as the client takes them.
          call.onCompleted();
        }
      }
    };
    call.setOnCancelHandler(() -> done.set(true));
    call.setOnReadyHandler(sendWhileReady);
    sendWhileReady.run();
  }

  /** Ends every open watch (the server is stopping). */
  @Override
  public void close() {
    for (StreamSink sink : sinks.keySet()) {
      sink.finish();
    }
  }

  /**
   * Encodes (once per group) and queues frames on the stream, both on the ticker thread: gRPC only
   * copies the bytes into its outbound buffer there and leaves the socket write to its own event
   * loop, so the ticker never waits for a client.
   */
  private final class StreamSink implements FrameSink {
    private final ServerCallStreamObserver<EncodedFrame> call;
    private final boolean omitHistograms;
    private volatile boolean finished;
    volatile @Nullable TelemetryWatch watch;

    StreamSink(ServerCallStreamObserver<EncodedFrame> call, boolean omitHistograms) {
      this.call = call;
      this.omitHistograms = omitHistograms;
    }

    @Override
    public boolean isReady() {
      return !finished && call.isReady();
    }

    @Override
    public void send(TrafficFrame frame) {
      EncodedFrame encoded = encoder.encode(frame, omitHistograms);
      synchronized (this) {
        if (finished) {
          return;
        }
        try {
          call.onNext(encoded);
        } catch (RuntimeException e) {
          log.debug("Telemetry stream closed while sending", e);
          release();
        }
      }
    }

    synchronized void finish() {
      if (!finished) {
        release();
        try {
          call.onCompleted();
        } catch (RuntimeException e) {
          log.debug("Telemetry stream already closed", e);
        }
      }
    }

    synchronized void release() {
      if (!finished) {
        finished = true;
        TelemetryWatch registered = watch;
        if (registered != null) {
          registered.close();
        }
        sinks.remove(this);
        metrics.telemetryWatchers().decrementAndGet();
      }
    }
  }
}
