package dev.sluice.agent.admin.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.admin.events.AgentEvent.HealthChanged;
import dev.sluice.agent.admin.events.AgentEvent.RegistryStale;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import dev.sluice.agent.admin.MutableClock;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static AgentEvent health(int i) {
    return new HealthChanged("users", "users-" + i, i % 2 == 0, "check " + i);
  }

  @Test
  void sequencesIncreaseByOneFromOne() {
    EventLog log = new EventLog(10, Clock.systemUTC());
    assertThat(log.append(health(1)).sequence()).isEqualTo(1);
    assertThat(log.append(health(2)).sequence()).isEqualTo(2);
    assertThat(log.lastSequence()).isEqualTo(2);
  }

  @Test
  void readerResumesFromTheSequenceAfterTheLastItSaw() {
    EventLog log = new EventLog(100, Clock.systemUTC());
    for (int i = 1; i <= 5; i++) {
      log.append(health(i));
    }
    EventBatch first = log.read(1, 3);
    assertThat(first.gap()).isNull();
    assertThat(first.events()).extracting(SequencedEvent::sequence).containsExactly(1L, 2L, 3L);

    EventBatch rest = log.read(first.nextSequence(), 100);
    assertThat(rest.gap()).isNull();
    assertThat(rest.events()).extracting(SequencedEvent::sequence).containsExactly(4L, 5L);
    assertThat(rest.nextSequence()).isEqualTo(6);
  }

  @Test
  void evictedSequenceYieldsGapNamingTheOldestAvailable() {
    EventLog log = new EventLog(4, Clock.systemUTC());
    for (int i = 1; i <= 10; i++) {
      log.append(health(i));
    }
    EventBatch batch = log.read(2, 100);
    assertThat(batch.gap()).isEqualTo(new EventGap(2, 7));
    assertThat(batch.events()).extracting(SequencedEvent::sequence).containsExactly(7L, 8L, 9L, 10L);
    assertThat(log.oldestAvailableSequence()).isEqualTo(7);
  }

  @Test
  void sequenceBeyondTheLogIsTreatedAsRestartAndStartsAtOldest() {
    EventLog log = new EventLog(100, Clock.systemUTC());
    log.append(health(1));
    log.append(health(2));
    EventBatch batch = log.read(5_000, 100);
    assertThat(batch.gap()).isEqualTo(new EventGap(5_000, 1));
    assertThat(batch.events()).hasSize(2);
  }

  @Test
  void subscriptionFromZeroSeesOnlyNewEvents() {
    EventLog log = new EventLog(100, Clock.systemUTC());
    log.append(health(1));
    AtomicInteger signals = new AtomicInteger();
    try (EventSubscription subscription = log.subscribe(0, signals::incrementAndGet)) {
      assertThat(subscription.poll(10).isEmpty()).isTrue();
      log.append(health(2));
      assertThat(signals).hasValue(1);
      assertThat(subscription.poll(10).events()).extracting(SequencedEvent::sequence)
          .containsExactly(2L);
    }
    assertThat(log.subscriberCount()).isZero();
  }

  @Test
  void slowSubscriberFallsBehindAndThenGetsGapWithoutDelayingAppends() {
    EventLog log = new EventLog(8, Clock.systemUTC());
    try (EventSubscription slow = log.subscribe(1, () -> { })) {
      for (int i = 1; i <= 20; i++) {
        log.append(health(i));
      }
      EventBatch batch = slow.poll(100);
      assertThat(batch.gap()).isEqualTo(new EventGap(1, 13));
      assertThat(batch.events()).extracting(SequencedEvent::sequence).startsWith(13L).endsWith(20L);
    }
  }

  @Test
  void concurrentAppendersLoseNoEventAndReuseNoSequence() throws Exception {
    EventLog log = new EventLog(100_000, Clock.systemUTC());
    int threads = 4;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < perThread; i++) {
          log.append(health(i));
        }
      });
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    EventBatch all = log.read(1, Integer.MAX_VALUE);
    assertThat(all.gap()).isNull();
    assertThat(all.events()).hasSize(threads * perThread);
    for (int i = 0; i < all.events().size(); i++) {
      assertThat(all.events().get(i).sequence()).isEqualTo(i + 1);
    }
  }

  @Test
  void listenerRunsOnEachAppendAndSubscriberDrainsOnItsOwnThread() {
    EventLog log = new EventLog(100, Clock.systemUTC());
    ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
    AtomicInteger pending = new AtomicInteger();
    EventSubscription[] holder = new EventSubscription[1];
    Thread drainer = new Thread(() -> {
      while (seen.size() < 3) {
        if (pending.getAndSet(0) > 0) {
          synchronized (holder) {
            holder[0].poll(10).events().forEach(e -> seen.add(e.sequence()));
          }
        }
        Thread.onSpinWait();
      }
    });
    synchronized (holder) {
      holder[0] = log.subscribe(0, pending::incrementAndGet);
    }
    drainer.start();
    log.append(health(1));
    log.append(health(2));
    log.append(health(3));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    assertThat(seen).containsExactly(1L, 2L, 3L);
  }

  @Test
  void betweenReturnsEventsInsideTheWindowOfTheAskedKinds() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    EventLog log = new EventLog(100, clock);
    log.append(health(1));
    clock.advance(Duration.ofMinutes(1));
    log.append(new RegistryStale("users", true, "connection refused"));
    log.append(health(2));
    clock.advance(Duration.ofMinutes(1));
    log.append(health(3));

    List<SequencedEvent> window = log.between(Instant.parse("2026-01-01T10:01:00Z"),
        Instant.parse("2026-01-01T10:02:00Z"), Set.of());
    assertThat(window).extracting(SequencedEvent::sequence).containsExactly(2L, 3L);

    List<SequencedEvent> onlyHealth = log.between(Instant.parse("2026-01-01T10:01:00Z"),
        Instant.parse("2026-01-01T11:00:00Z"), Set.of(EventKind.HEALTH_CHANGED));
    assertThat(onlyHealth).extracting(SequencedEvent::sequence).containsExactly(3L, 4L);
  }
}
