package dev.sluice.console.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExtendChoiceTest {
  private static final Duration TWO_HOURS = Duration.ofHours(2);

  @Test
  void choicesAboveTheAgentsMaximumAreDisabledSayingWhy() {
    var options = ExtendChoice.options(TWO_HOURS);

    assertThat(options).extracting(ExtendChoice.Option::label)
        .containsExactly("15 min", "30 min", "1 h", "4 h");
    assertThat(options).extracting(ExtendChoice.Option::enabled)
        .containsExactly(true, true, true, false);
    assertThat(options.get(3).whyNot())
        .isEqualTo("longer than the agent's maximum, 2 h (agent.maxOverrideTtl)");
    assertThat(options.get(2).whyNot()).isEmpty();
  }

  @Test
  void aChoiceEqualToTheMaximumIsAllowed() {
    assertThat(ExtendChoice.options(Duration.ofHours(1))).extracting(ExtendChoice.Option::enabled)
        .containsExactly(true, true, true, false);
  }

  @Test
  void everyChoiceStaysOpenWhileTheMaximumIsNotKnown() {
    assertThat(ExtendChoice.options(Duration.ZERO)).allMatch(ExtendChoice.Option::enabled);
    assertThat(ExtendChoice.custom("12h", Duration.ZERO).ttl()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void customDurationsReadHoursMinutesAndBareMinutes() {
    assertThat(ExtendChoice.custom("1h 30m", TWO_HOURS).ttl()).isEqualTo(Duration.ofMinutes(90));
    assertThat(ExtendChoice.custom("45", TWO_HOURS).ttl()).isEqualTo(Duration.ofMinutes(45));
    assertThat(ExtendChoice.custom(" 2 h ", TWO_HOURS).ttl()).isEqualTo(TWO_HOURS);
    assertThat(ExtendChoice.custom("90s", TWO_HOURS).ttl()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void customDurationAboveTheMaximumIsRefusedNamingTheMaximum() {
    var parsed = ExtendChoice.custom("2h 1m", TWO_HOURS);

    assertThat(parsed.ttl()).isNull();
    assertThat(parsed.problems()).containsExactly(
        "custom: 2 h 1 min is longer than the agent's maximum, 2 h (agent.maxOverrideTtl)");
  }

  @Test
  void customTextThatIsNoDurationSaysWhatIsExpected() {
    assertThat(ExtendChoice.custom("soon", TWO_HOURS).problems())
        .containsExactly("custom: 'soon' is not a duration like 45m, 2h or 1h 30m");
    assertThat(ExtendChoice.custom("", TWO_HOURS).problems())
        .containsExactly("custom: type a duration, e.g. 45m or 2h 30m");
    assertThat(ExtendChoice.custom("0m", TWO_HOURS).problems())
        .containsExactly("custom: must be longer than zero");
  }

  @Test
  void durationsAreWrittenInTheFewestWords() {
    assertThat(ExtendChoice.words(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
    assertThat(ExtendChoice.words(Duration.ofHours(4))).isEqualTo("4 h");
    assertThat(ExtendChoice.words(Duration.ofSeconds(45))).isEqualTo("45 s");
  }
}
