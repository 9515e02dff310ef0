package dev.sluice.console.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RollingRingTest {
  private static final long T0 = 1_790_000_000_000L;

  @Test
  void eachSlotReadsBackItsOwnSeriesOldestFirstAcrossPages() {
    RollingRing ring = new RollingRing(10, 4);
    int[] slots = new int[9];
    for (int s = 0; s < slots.length; s++) {
      slots[s] = ring.newSlot();
    }
    for (int f = 0; f < 5; f++) {
      for (int s : slots) {
        ring.write(s, T0 + 1000L * f, 100 * s + f, 150 * s + f, s + f / 10.0);
      }
    }

    for (int s : slots) {
      RollingRing.Points p = ring.read(s);
      assertThat(p.size()).isEqualTo(5);
      for (int f = 0; f < 5; f++) {
        assertThat(p.epochMillis()[f]).isEqualTo(T0 + 1000L * f);
        assertThat(p.p50()[f]).isEqualTo(100 * s + f);
        assertThat(p.p99()[f]).isEqualTo(150 * s + f);
        assertThat(p.rps()[f]).isCloseTo((float) (s + f / 10.0), within(1e-6f));
      }
    }
  }

  @Test
  void wrapsKeepingTheNewestCapacityFrames() {
    RollingRing ring = new RollingRing(10, 4);
    int slot = ring.newSlot();
    for (int f = 0; f < 25; f++) {
      ring.write(slot, T0 + 1000L * f, f, f, f);
    }

    RollingRing.Points p = ring.read(slot);
    assertThat(p.size()).isEqualTo(10);
    assertThat(p.epochMillis()[0]).isEqualTo(T0 + 15_000);
    assertThat(p.p50()).containsExactly(15, 16, 17, 18, 19, 20, 21, 22, 23, 24);
  }

  @Test
  void aSlotThatMissedAFrameStartsOverInsteadOfShowingStalePoints() {
    RollingRing ring = new RollingRing(10, 4);
    int busy = ring.newSlot();
    int gappy = ring.newSlot();
    ring.write(busy, T0, 1, 1, 1);
    ring.write(gappy, T0, 7, 7, 7);
    ring.write(busy, T0 + 1000, 2, 2, 2);
    ring.write(busy, T0 + 2000, 3, 3, 3);
    ring.write(gappy, T0 + 2000, 9, 9, 9);

    assertThat(ring.read(gappy).p50()).containsExactly(9);
    assertThat(ring.read(busy).p50()).containsExactly(1, 2, 3);
  }

  @Test
  void latenciesReadBackExactBelowOneAndAHalfMillisecondsAndWithinTwoHundredthsOfAPercentAbove() {
    for (long micros = 0; micros < 1_500; micros++) {
      assertThat(RollingRing.decode(RollingRing.encode(micros))).isEqualTo(micros);
    }
    for (long micros = 1_500; micros < Integer.MAX_VALUE / 2; micros = micros * 3 / 2 + 7) {
      assertThat((double) RollingRing.decode(RollingRing.encode(micros)))
          .isCloseTo(micros, within(micros * 0.0002));
    }
    assertThat(RollingRing.decode(RollingRing.encode(-1))).isEqualTo(-1);
  }
}
