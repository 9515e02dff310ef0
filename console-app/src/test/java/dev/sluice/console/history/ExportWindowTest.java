package dev.sluice.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportWindowTest {
  private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

  @Test
  void lastHourEndsNow() {
    var parsed = ExportWindow.parse(ExportWindow.Choice.LAST_HOUR, "", "", NOW);
    assertThat(parsed.window()).isEqualTo(new ExportWindow(Instant.parse("2026-11-25T14:00:00Z"), NOW));
  }

  @Test
  void customWindowNamesEveryProblemAtOnce() {
    var parsed = ExportWindow.parse(ExportWindow.Choice.CUSTOM, "yesterday", "", NOW);
    assertThat(parsed.window()).isNull();
    assertThat(parsed.problems())
        .containsExactly("from: 'yesterday' is not a time like 2026-11-25T14:00:00Z");

    var reversed = ExportWindow.parse(ExportWindow.Choice.CUSTOM, "2026-11-25T14:30:00Z",
        "2026-11-25T14:00:00Z", NOW);
    assertThat(reversed.problems()).containsExactly("to: must be after from");
  }

  @Test
  void customWindowWithoutAnEndRunsToNow() {
    var parsed = ExportWindow.parse(ExportWindow.Choice.CUSTOM, "2026-11-25T14:30:00Z", " ", NOW);
    assertThat(parsed.window()).isEqualTo(new ExportWindow(Instant.parse("2026-11-25T14:30:00Z"), NOW));
  }
}
