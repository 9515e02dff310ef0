package dev.sluice.console.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void latenciesUseTheUnitThatKeepsThemShort() {
    assertThat(Figures.latency(-1)).isEqualTo(Figures.NONE);
    assertThat(Figures.latency(850)).isEqualTo("850 µs");
    assertThat(Figures.latency(1_234)).isEqualTo("1.23 ms");
    assertThat(Figures.latency(12_345)).isEqualTo("12.3 ms");
    assertThat(Figures.latency(172_240)).isEqualTo("172 ms");
    assertThat(Figures.latency(1_200_000)).isEqualTo("1.20 s");
  }

  @Test
  void percentagesAndRatesAreReadable() {
    assertThat(Figures.percent(-1)).isEqualTo(Figures.NONE);
    assertThat(Figures.percent(0)).isEqualTo("0 %");
    assertThat(Figures.percent(0.34)).isEqualTo("0.3 %");
    assertThat(Figures.percent(62.4)).isEqualTo("62 %");
    assertThat(Figures.rate(0)).isEqualTo("0");
    assertThat(Figures.rate(12.46)).isEqualTo("12.5");
    assertThat(Figures.rate(1204.4)).isEqualTo("1,204");
  }

  @Test
  void agesGrowIntoMinutesAndHours() {
    assertThat(Figures.age(Duration.ofSeconds(14))).isEqualTo("14 s");
    assertThat(Figures.age(Duration.ofSeconds(252))).isEqualTo("4 min 12 s");
    assertThat(Figures.age(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
  }
}
