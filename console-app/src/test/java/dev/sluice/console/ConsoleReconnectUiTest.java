package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/** The window while its gateway agent stops and starts again on the same admin port. */
class ConsoleReconnectUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @RegisterExtension
  static final ConsoleUi<DemoGateway> ui = ConsoleUi.demoGateway();

  @Test
  void agentRestartShowsReconnectingWithStaleDataThenLiveAgain(FxRobot robot) throws Exception {
    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));

    ui.agent().stopAgent();

    await().atMost(CEILING).until(() -> status.getText().startsWith("Reconnecting"));
    assertThat(status.getText()).contains("last update");
    assertThat(status.getStyleClass()).contains("stale");
    await().atMost(CEILING).until(() -> robot.lookup(".gateway-cell .gateway-address")
        .match(n -> n instanceof Label l
            && l.getText().matches("reconnecting, last update \\d+ s ago · operator"))
        .tryQuery().isPresent());

    ui.agent().startAgent();

    await().atMost(CEILING).until(() -> status.getText().startsWith("Live")
        && !status.getStyleClass().contains("stale"));
  }
}
