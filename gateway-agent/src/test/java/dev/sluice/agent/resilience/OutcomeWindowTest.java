package dev.sluice.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutcomeWindowTest {

  private static long pack(long calls, long failed, long slow) {
    return calls + (failed << 21) + (slow << 42);
  }

  @Test
  void decodesTotalsThatAreBrieflyNegative() {
    long totals = pack(-1, 3, 2);

    assertThat(OutcomeWindow.calls(totals)).isEqualTo(-1);
    assertThat(OutcomeWindow.failed(totals)).isEqualTo(3);
    assertThat(OutcomeWindow.slow(totals)).isEqualTo(2);

    long mixed = pack(5, -2, -1);
    assertThat(OutcomeWindow.calls(mixed)).isEqualTo(5);
    assertThat(OutcomeWindow.failed(mixed)).isEqualTo(-2);
    assertThat(OutcomeWindow.slow(mixed)).isEqualTo(-1);
  }

  @Test
  void decodesTheLargestWindow() {
    int max = BreakerSettings.MAX_WINDOW_SIZE;
    long totals = pack(max, max, max);

    assertThat(OutcomeWindow.calls(totals)).isEqualTo(max);
    assertThat(OutcomeWindow.failed(totals)).isEqualTo(max);
    assertThat(OutcomeWindow.slow(totals)).isEqualTo(max);
  }

  @Test
  void keepsTheSameTotalsAsAListOfTheLastOutcomes() {
    Random random = new Random(42);
    for (int run = 0; run < 50; run++) {
      int size = 1 + random.nextInt(40);
      OutcomeWindow window = new OutcomeWindow(size);
      Deque<boolean[]> model = new ArrayDeque<>();
      for (int i = 0; i < 500; i++) {
        boolean failed = random.nextBoolean();
        boolean slow = random.nextInt(3) == 0;
        long totals = window.record(failed, slow);
        model.addLast(new boolean[] {failed, slow});
        if (model.size() > size) {
          model.removeFirst();
        }
        assertThat(OutcomeWindow.calls(totals)).isEqualTo(model.size());
        assertThat(OutcomeWindow.failed(totals)).isEqualTo((int) model.stream().filter(o -> o[0]).count());
        assertThat(OutcomeWindow.slow(totals)).isEqualTo((int) model.stream().filter(o -> o[1]).count());
      }
    }
  }
}
