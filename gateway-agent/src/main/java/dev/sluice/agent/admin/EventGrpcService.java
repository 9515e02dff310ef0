package dev.sluice.agent.admin;

import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.WatchEventsRequest;
import dev.sluice.agent.admin.events.EventBatch;
import dev.sluice.agent.admin.events.EventKind;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.admin.events.EventSubscription;
import dev.sluice.agent.admin.events.SequencedEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EventService} over the {@link EventLog}: WatchEvents resumes from a sequence (starting
 * with a gap event when it was evicted) and then streams live events, sending only while the
 * client keeps up — a slow client falls behind in the log instead of buffering on the server, and
 * gets a gap if it falls out of it. Streams are drained on {@code executor}, never on the
 * appender's thread.
 */
public final class EventGrpcService extends EventServiceGrpc.EventServiceImplBase
    implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventGrpcService.class);
  private static final int BATCH = 256;

  private final EventLog events;
  private final Executor executor;
  private final Clock clock;
  private final AdminMetrics metrics;
  private final Map<Watch, Boolean> watches = new ConcurrentHashMap<>();

  public EventGrpcService(EventLog events, Executor executor, Clock clock, AdminMetrics metrics) {
    this.events = events;
    this.executor = executor;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void watchEvents(WatchEventsRequest request, StreamObserver<Event> responses) {
    if (request.getFromSequence() < 0) {
      responses.onError(GrpcErrors.invalidArgument(
          java.util.List.of(Map.entry("from_sequence", "must not be negative"))));
      return;
    }
    ServerCallStreamObserver<Event> call = (ServerCallStreamObserver<Event>) responses;
    Watch watch = new Watch(call, AdminProtoMapper.kinds(request.getKindsList()));
    watch.start(request.getFromSequence());
  }

  @Override
  public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> responses) {
    Instant from = request.hasFrom() ? AdminProtoMapper.instant(request.getFrom()) : Instant.EPOCH;
    Instant to = request.hasTo() ? AdminProtoMapper.instant(request.getTo()) : Instant.MAX;
    if (to.isBefore(from)) {
      responses.onError(GrpcErrors.invalidArgument(
          java.util.List.of(Map.entry("to", "must not be before from"))));
      return;
    }
    ListEventsResponse.Builder response = ListEventsResponse.newBuilder()
        .setOldestAvailableSequence(events.oldestAvailableSequence());
    for (SequencedEvent event
        : events.between(from, to, AdminProtoMapper.kinds(request.getKindsList()))) {
      response.addEvents(AdminProtoMapper.event(event));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  /** Ends every open watch (the server is stopping). */
  @Override
  public void close() {
    for (Watch watch : watches.keySet()) {
      watch.finish();
    }
  }

  /** One WatchEvents stream: its position in the log and its drain task. */
  private final class Watch {
    private final ServerCallStreamObserver<Event> call;
    private final Set<EventKind> kinds;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean finished;
    private EventSubscription subscription;

    Watch(ServerCallStreamObserver<Event> call, Set<EventKind> kinds) {
      this.call = call;
      this.kinds = kinds;
    }

    void start(long fromSequence) {
      subscription = events.subscribe(fromSequence, this::signal);
      watches.put(this, Boolean.TRUE);
      metrics.eventWatchers().incrementAndGet();
      call.setOnCancelHandler(this::release);
      call.setOnReadyHandler(this::signal);
      signal();
    }

    /** Runs on the appender's thread: only schedules the drain. */
    void signal() {
      if (!finished && scheduled.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      try {
        synchronized (this) {
          while (!finished && call.isReady()) {
            EventBatch batch = subscription.poll(BATCH);
            if (batch.gap() != null) {
              call.onNext(AdminProtoMapper.gap(batch.gap(), clock.instant()));
            }
            for (SequencedEvent event : batch.events()) {
              if (kinds.isEmpty() || kinds.contains(event.kind())) {
                call.onNext(AdminProtoMapper.event(event));
              }
            }
            if (batch.events().isEmpty()) {
              break;
            }
          }
        }
      } catch (RuntimeException e) {
        log.warn("Event stream failed; ending it", e);
        fail(e);
      } finally {
        scheduled.set(false);
      }
      // An append between the last poll and clearing the flag would otherwise go unnoticed.
      if (!finished && call.isReady() && events.lastSequence() >= subscription.nextSequence()) {
        signal();
      }
    }

    synchronized void finish() {
      if (!finished) {
        release();
        try {
          call.onCompleted();
        } catch (RuntimeException e) {
          log.debug("Event stream already closed", e);
        }
      }
    }

    private synchronized void fail(RuntimeException e) {
      if (!finished) {
        release();
        call.onError(Status.INTERNAL.withDescription("event stream failed").asRuntimeException());
      }
    }

    private synchronized void release() {
      if (!finished) {
        finished = true;
        subscription.close();
        watches.remove(this);
        metrics.eventWatchers().decrementAndGet();
      }
    }
  }
}
