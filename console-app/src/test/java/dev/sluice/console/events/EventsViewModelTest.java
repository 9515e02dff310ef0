package dev.sluice.console.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.BreakerTransition;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsViewModelTest {
  private final EventsViewModel vm = new EventsViewModel();

  @Test
  void newestFirstAndAReplayAfterReconnectIsNotShownTwice() {
    vm.apply(List.of(event(1, "config v1 loaded"), event(2, "breaker users opened")));
    vm.apply(List.of(event(2, "breaker users opened"), event(3, "breaker users half-open")));

    assertThat(vm.rows()).extracting(EventsViewModel.EventRow::sequence).containsExactly(3L, 2L, 1L);
  }

  @Test
  void breakerOpeningIsMarkedBad() {
    vm.apply(List.of(Event.newBuilder().setSequence(1).setTime(Timestamp.getDefaultInstance())
        .setKind(EventKind.EVENT_KIND_BREAKER_TRANSITION).setSummary("breaker users opened")
        .setBreakerTransition(BreakerTransition.newBuilder().setTo(BreakerState.BREAKER_STATE_OPEN))
        .build()));

    assertThat(vm.rows().get(0).styleClass()).isEqualTo("event-bad");
    assertThat(vm.rows().get(0).kind()).isEqualTo("breaker");
  }

  @Test
  void onlyAFreshBreakerOpeningRaisesAnAlert() {
    List<String> alerts = new ArrayList<>();
    java.time.Instant now = java.time.Instant.parse("2026-11-25T10:00:00Z");
    EventsViewModel live = new EventsViewModel(
        java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    live.setOnAlert(row -> alerts.add(row.summary()));

    live.apply(List.of(
        opened(1, now.minusSeconds(600), BreakerState.BREAKER_STATE_CLOSED, "users opened long ago"),
        opened(2, now.minusSeconds(1), BreakerState.BREAKER_STATE_CLOSED, "orders opened"),
        opened(3, now, BreakerState.BREAKER_STATE_HALF_OPEN, "orders probes failed"),
        event(4, "config v2")));

    assertThat(alerts).containsExactly("orders opened");
  }

  private static Event opened(
      long sequence, java.time.Instant at, BreakerState from, String summary) {
    return Event.newBuilder().setSequence(sequence)
        .setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
        .setKind(EventKind.EVENT_KIND_BREAKER_TRANSITION).setSummary(summary)
        .setBreakerTransition(BreakerTransition.newBuilder().setService(summary.split(" ")[0])
            .setFrom(from).setTo(BreakerState.BREAKER_STATE_OPEN))
        .build();
  }

  @Test
  void listIsBounded() {
    List<Event> many = new ArrayList<>();
    for (int i = 1; i <= EventsViewModel.CAPACITY + 50; i++) {
      many.add(event(i, "e" + i));
    }
    vm.apply(many);

    assertThat(vm.rows()).hasSize(EventsViewModel.CAPACITY);
    assertThat(vm.rows().get(0).sequence()).isEqualTo(EventsViewModel.CAPACITY + 50);
  }

  private static Event event(long sequence, String summary) {
    return Event.newBuilder().setSequence(sequence).setTime(Timestamp.getDefaultInstance())
        .setKind(EventKind.EVENT_KIND_CONFIG_CHANGED).setSummary(summary).build();
  }
}
