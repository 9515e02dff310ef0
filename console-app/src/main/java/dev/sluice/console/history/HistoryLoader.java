package dev.sluice.console.history;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.console.connection.GatewayClient;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Loads the agent's telemetry history and recent events into a {@link HistoryModel} in the
 * background, on attach and after every reconnect. The network work runs on the client's read
 * thread; the results are applied through {@code uiThread}, never waited for on it.
 */
public final class HistoryLoader {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** The reads a load makes; the console's is {@link #over(GatewayClient)}. */
  public interface Source {
    /** Runs {@code call} with the gateway's channel on a background thread. */
    <T> java.util.concurrent.CompletableFuture<T> read(java.util.function.Function<Channel, T> call);
  }

  /** What one load brought back. */
  public record Loaded(Instant requestedAt, List<TelemetryHistoryChunk> chunks, List<Event> events) {}

  private final Source source;
  private final Executor uiThread;
  private final HistoryModel model;
  private final Clock clock;

  public HistoryLoader(Source source, Executor uiThread, HistoryModel model, Clock clock) {
    this.source = source;
    this.uiThread = uiThread;
    this.model = model;
    this.clock = clock;
  }

  public static Source over(GatewayClient client) {
    return client::read;
  }

  /**
   * Starts a load of the whole retention; call on the UI thread. Each chunk goes into the model's
   * columnar steps as it arrives, on the read thread, so hours of history are never held as
   * messages; the UI thread only takes the events and the summary.
   */
  public void load() {
    model.loading();
    Instant now = clock.instant();
    Instant from = now.minus(model.retention());
    source.read(channel -> stream(channel, from, now)).whenComplete((loaded, error) ->
        uiThread.execute(() -> {
          if (error != null) {
            model.failed(describe(error));
          } else {
            model.applyEvents(loaded.events());
            model.historyLoaded(loaded.load());
          }
        }));
  }

  private record Streamed(HistoryModel.Load load, List<Event> events) {}

  private Streamed stream(Channel channel, Instant from, Instant to) {
    HistoryModel.Load load = new HistoryModel.Load(to);
    Iterator<TelemetryHistoryChunk> it = TelemetryServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .getTelemetryHistory(request(from, to));
    while (it.hasNext()) {
      model.loadChunk(load, it.next());
    }
    return new Streamed(load, events(channel, from, to));
  }

  /** Reads history and events of [from, to) on the calling (background) thread. */
  public static Loaded fetch(Channel channel, Instant from, Instant to) {
    List<TelemetryHistoryChunk> chunks = new ArrayList<>();
    Iterator<TelemetryHistoryChunk> it = TelemetryServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .getTelemetryHistory(request(from, to));
    while (it.hasNext()) {
      chunks.add(it.next());
    }
    return new Loaded(to, chunks, events(channel, from, to));
  }

  private static GetTelemetryHistoryRequest request(Instant from, Instant to) {
    return GetTelemetryHistoryRequest.newBuilder().setFrom(timestamp(from)).setTo(timestamp(to))
        .build();
  }

  private static List<Event> events(Channel channel, Instant from, Instant to) {
    return EventServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .listEvents(ListEventsRequest.newBuilder().setFrom(timestamp(from))
            .setTo(timestamp(to.plusSeconds(1))).build())
        .getEventsList();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano())
        .build();
  }

  private static String describe(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof StatusRuntimeException e) {
      Status s = e.getStatus();
      return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
    return String.valueOf(cause.getMessage());
  }
}
