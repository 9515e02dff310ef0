package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UiUpdateCoalescerTest {
  private long nanos = 1_000_000_000L;
  private final ArrayDeque<long[]> delays = new ArrayDeque<>();
  private final ArrayDeque<Runnable> timer = new ArrayDeque<>();
  private final ArrayDeque<Runnable> uiThread = new ArrayDeque<>();
  private final List<UiBatch> applied = new ArrayList<>();
  private final UiUpdateCoalescer coalescer = new UiUpdateCoalescer(
      uiThread::add,
      (task, delay) -> {
        delays.add(new long[] {delay});
        timer.add(task);
      },
      () -> nanos,
      Duration.ofMillis(100),
      applied::add);

  @Test
  void manyUpdatesBetweenTwoApplicationsArriveAsOneBatch() {
    for (int i = 1; i <= 50; i++) {
      coalescer.onTelemetry(TelemetryFrame.newBuilder().setSequence(i).build());
    }
    coalescer.onSnapshot(Snapshot.newBuilder().setConfigVersion(1).build());
    coalescer.onSnapshot(Snapshot.newBuilder().setConfigVersion(2).build());

    runTimersAndUi();

    assertThat(applied).hasSize(1);
    UiBatch batch = applied.get(0);
    assertThat(batch.frames()).extracting(TelemetryFrame::getSequence).hasSize(50)
        .startsWith(1L).endsWith(50L);
    assertThat(batch.snapshot().getConfigVersion()).isEqualTo(2);
  }

  @Test
  void applicationsAreSpacedByTheMinimumGap() {
    coalescer.onTelemetry(TelemetryFrame.getDefaultInstance());
    runTimersAndUi();
    nanos += Duration.ofMillis(30).toNanos();
    coalescer.onTelemetry(TelemetryFrame.getDefaultInstance());

    assertThat(delays.peekLast()[0]).isEqualTo(Duration.ofMillis(70).toNanos());
    runTimersAndUi();
    assertThat(applied).hasSize(2);
  }

  @Test
  void updatesAfterAQuietSpellAreAppliedWithoutDelay() {
    coalescer.onTelemetry(TelemetryFrame.getDefaultInstance());

    assertThat(delays.peekLast()[0]).isZero();
  }

  @Test
  void uiTasksRunAfterTheBatchOnTheUiThread() {
    List<String> order = new ArrayList<>();
    UiUpdateCoalescer c = new UiUpdateCoalescer(uiThread::add, (t, d) -> timer.add(t),
        () -> nanos, Duration.ofMillis(100), b -> order.add("batch"));
    c.onTelemetry(TelemetryFrame.getDefaultInstance());
    c.execute(() -> order.add("task"));

    assertThat(order).isEmpty();
    runTimersAndUi();
    assertThat(order).containsExactly("batch", "task");
  }

  private void runTimersAndUi() {
    while (!timer.isEmpty() || !uiThread.isEmpty()) {
      while (!timer.isEmpty()) {
        timer.poll().run();
      }
      while (!uiThread.isEmpty()) {
        uiThread.poll().run();
      }
    }
  }
}
