package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.WatchEventsRequest;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventServiceTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private EventLog log;
  private TestAdminServer admin;

  @BeforeEach
  void start() throws Exception {
    log = new EventLog(5, clock);
    admin = new TestAdminServer();
    admin.start(List.of(new EventGrpcService(log, admin.executor, clock, admin.metrics)));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
  }

  private static AgentEvent health(int i) {
    return new AgentEvent.HealthChanged("users", "users-" + i, true, "check passed");
  }

  /** Collects a stream's events until cancelled. */
  private static final class Collector implements StreamObserver<Event> {
    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile Throwable error;

    @Override
    public void onNext(Event event) {
      events.add(event);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }

  private Context.CancellableContext watch(long from, Collector collector, EventKind... kinds) {
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(() -> admin.authed(EventServiceGrpc.newStub(admin.channel())).watchEvents(
        WatchEventsRequest.newBuilder().setFromSequence(from).addAllKinds(List.of(kinds)).build(),
        collector));
    return context;
  }

  @Test
  void watcherResumesAfterReconnectFromTheLastSequenceItSaw() {
    log.append(health(1));
    log.append(health(2));
    Collector first = new Collector();
    Context.CancellableContext firstCall = watch(1, first);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 2);
    log.append(health(3));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 3);
    long lastSeen = first.events.get(2).getSequence();
    firstCall.cancel(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> log.subscriberCount() == 0);

    log.append(health(4));
    Collector second = new Collector();
    Context.CancellableContext secondCall = watch(lastSeen + 1, second);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.events.size() == 1);
    log.append(health(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.events.size() == 2);
    assertThat(second.events).extracting(Event::getSequence).containsExactly(4L, 5L);
    assertThat(second.events.get(0).getHealthChanged().getInstanceId()).isEqualTo("users-4");
    assertThat(second.events.get(0).getKind()).isEqualTo(EventKind.EVENT_KIND_HEALTH_CHANGED);
    secondCall.cancel(null);
  }

  @Test
  void watcherAskingForEvictedEventsGetsAGapFirst() {
    for (int i = 1; i <= 12; i++) {
      log.append(health(i));
    }
    Collector collector = new Collector();
    Context.CancellableContext call = watch(2, collector);
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.events.size() == 6);
    Event gap = collector.events.get(0);
    assertThat(gap.getKind()).isEqualTo(EventKind.EVENT_KIND_GAP);
    assertThat(gap.getGap().getRequestedSequence()).isEqualTo(2);
    assertThat(gap.getGap().getOldestAvailableSequence()).isEqualTo(8);
    assertThat(gap.getSummary()).isEqualTo("events 2 to 7 are no longer held; resuming at 8");
    assertThat(collector.events.subList(1, 6)).extracting(Event::getSequence)
        .containsExactly(8L, 9L, 10L, 11L, 12L);
    call.cancel(null);
  }

  @Test
  void watcherFromZeroGetsOnlyLiveEventsOfTheAskedKinds() {
    log.append(health(1));
    Collector collector = new Collector();
    Context.CancellableContext call = watch(0, collector, EventKind.EVENT_KIND_REGISTRY_STALE);
    await().atMost(Duration.ofSeconds(10)).until(() -> log.subscriberCount() == 1);
    log.append(health(2));
    log.append(new AgentEvent.RegistryStale("users", true, "connection refused"));
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.events.size() == 1);
    assertThat(collector.events.get(0).getRegistryStale().getError()).isEqualTo("connection refused");
    assertThat(collector.events.get(0).getSequence()).isEqualTo(3);
    assertThat(admin.metrics.eventWatchers()).hasValue(1);
    call.cancel(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.metrics.eventWatchers().get() == 0);
  }

  @Test
  void listEventsReturnsTheWindowAndTheOldestHeld() {
    log.append(health(1));
    clock.advance(Duration.ofMinutes(5));
    log.append(health(2));
    clock.advance(Duration.ofMinutes(5));
    log.append(health(3));
    ListEventsResponse response = admin.authed(EventServiceGrpc.newBlockingStub(admin.channel()))
        .listEvents(ListEventsRequest.newBuilder()
            .setFrom(AdminProtoMapper.timestamp(Instant.parse("2026-03-01T12:05:00Z")))
            .setTo(AdminProtoMapper.timestamp(Instant.parse("2026-03-01T12:10:00Z"))).build());
    assertThat(response.getEventsList()).extracting(Event::getSequence).containsExactly(2L);
    assertThat(response.getOldestAvailableSequence()).isEqualTo(1);
  }

  @Test
  void negativeFromSequenceIsInvalidWithAFieldViolation() {
    var stub = admin.authed(EventServiceGrpc.newBlockingStub(admin.channel()));
    assertThatThrownBy(() -> stub.watchEvents(
        WatchEventsRequest.newBuilder().setFromSequence(-1).build()).hasNext())
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          com.google.rpc.Status status = StatusProto.fromThrowable(e);
          assertThat(status).isNotNull();
          assertThat(status.getDetailsList()).singleElement().satisfies(any -> assertThat(
              any.unpack(BadRequest.class).getFieldViolations(0).getField())
              .isEqualTo("from_sequence"));
        });
  }
}
