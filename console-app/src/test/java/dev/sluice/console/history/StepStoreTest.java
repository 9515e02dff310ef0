package dev.sluice.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepStoreTest {
  private static final long T = 1_790_000_000L;

  @Test
  void readsBackEveryFigureAsWrittenForEachRoute() {
    StepStore store = new StepStore(10, 3600);
    int a = store.slot("a");
    int b = store.slot("b");
    store.addHistory(a, T, 70_000, 3, 0, 1_234, 987_654_321);
    store.addHistory(b, T, 5, 0, 2, 250, 1_000);
    store.addHistory(a, T + 10, 1, 1, 1, 100, 100);

    assertThat(store.between("a", T, T + 20)).containsExactly(
        new HistoryStep(T, 70_000, 3, 0, 1_234, 987_654_321, true),
        new HistoryStep(T + 10, 1, 1, 1, 100, 100, true));
    assertThat(store.between("b", T, T + 20)).containsExactly(
        new HistoryStep(T, 5, 0, 2, 250, 1_000, true));
    assertThat(store.size("b")).isEqualTo(1);
    assertThat(store.oldestEpochSecond("a")).isEqualTo(T);
  }

  @Test
  void theRingWrapsKeepingOnlyTheNewestStepsOfTheRetention() {
    StepStore store = new StepStore(10, 60);
    int a = store.slot("a");
    int steps = store.capacity() * 3 + 1;
    for (int i = 0; i < steps; i++) {
      store.addHistory(a, T + 10L * i, i, 0, 0, i, i);
    }

    List<HistoryStep> kept = store.between("a", 0, Long.MAX_VALUE / 2);
    assertThat(kept).hasSize(store.capacity());
    assertThat(kept.get(kept.size() - 1).requests()).isEqualTo(steps - 1);
    assertThat(kept.get(0).startEpochSecond()).isEqualTo(T + 10L * (steps - store.capacity()));
    assertThat(kept).extracting(HistoryStep::requests).isSorted();
  }

  @Test
  void routesAddedLaterGetTheirOwnColumnWithoutDisturbingEarlierOnes() {
    StepStore store = new StepStore(10, 3600);
    store.addHistory(store.slot("r0"), T, 1, 0, 0, 10, 20);
    for (int i = 1; i < 200; i++) {
      store.addHistory(store.slot("r" + i), T, i + 1, 0, 0, 10, 20);
    }

    for (int i = 0; i < 200; i++) {
      assertThat(store.between("r" + i, T, T + 10)).extracting(HistoryStep::requests)
          .containsExactly((long) i + 1);
    }
  }

  @Test
  void liveFramesSumIntoTheirStepAndLeaveAgentStepsAlone() {
    StepStore store = new StepStore(10, 3600);
    int a = store.slot("a");
    long[] bounds = {1_000, 10_000};
    store.addLive(a, T + 1, 4, 1, 0, bounds, new long[] {4, 0, 0}, 900, 900);
    store.addLive(a, T + 2, 6, 0, 2, bounds, new long[] {0, 6, 0}, 9_000, 9_000);
    store.addHistory(a, T + 10, 50, 0, 0, 100, 200);
    store.addLive(a, T + 11, 7, 0, 0, bounds, new long[] {7, 0, 0}, 900, 900);

    assertThat(store.between("a", T, T + 20)).containsExactly(
        new HistoryStep(T, 10, 1, 2, 10_000, 10_000, false),
        new HistoryStep(T + 10, 50, 0, 0, 100, 200, true));
  }

  @Test
  void countsWidenFromSixteenBitsWithoutLosingTheOthers() {
    StepStore.Counts counts = new StepStore.Counts();
    counts.set(0, 7, 4);
    counts.set(3, 65_535, 4);
    counts.set(1, 70_000, 4);
    counts.set(2, 5_000_000_000L, 4);

    assertThat(new long[] {counts.get(0), counts.get(1), counts.get(2), counts.get(3)})
        .containsExactly(7, 70_000, Integer.MAX_VALUE, 65_535);
  }
}
