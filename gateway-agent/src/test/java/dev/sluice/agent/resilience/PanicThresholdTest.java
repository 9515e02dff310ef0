package dev.sluice.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PanicThresholdTest {

  @Test
  void panicsWhenTheHealthyShareFallsBelowTheThreshold() {
    assertThat(PanicThreshold.inPanic(1, 4, 50.0)).isTrue();
    assertThat(PanicThreshold.inPanic(0, 4, 50.0)).isTrue();
  }

  @Test
  void doesNotPanicAtOrAboveTheThreshold() {
    assertThat(PanicThreshold.inPanic(2, 4, 50.0)).isFalse();
    assertThat(PanicThreshold.inPanic(4, 4, 50.0)).isFalse();
  }

  @Test
  void aZeroThresholdSwitchesPanicOff() {
    assertThat(PanicThreshold.inPanic(0, 4, 0.0)).isFalse();
  }

  @Test
  void withoutEligibleInstancesThereIsNothingToPanicAbout() {
    assertThat(PanicThreshold.inPanic(0, 0, 50.0)).isFalse();
  }
}
