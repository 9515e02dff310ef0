package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import java.util.List;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/** A console attached with a viewer's token offers no change, whatever is selected. */
class ConsoleViewerUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @RegisterExtension
  static final ConsoleUi<DemoGateway> ui =
      ConsoleUi.demoGateway().attachingAs(DemoGateway::viewerToken);

  @Test
  void viewerSessionShowsNoEnabledMutationControl(FxRobot robot) {
    ui.awaitLive();
    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").queryLabeled().getText()
        .equals("demo-viewer · viewer (read-only)"));

    ui.showTab("Breakers");
    ui.selectBreaker("users");
    assertThat(robot.lookup("#breaker-table").queryTableView().getSelectionModel().getSelectedItem())
        .as("a breaker is selected, so only the role disables the actions").isNotNull();
    for (String id : List.of("#trip-breaker", "#force-close-breaker", "#reset-breaker")) {
      assertThat(robot.lookup(id).queryButton().isDisabled()).as(id).isTrue();
    }
    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
    assertThat(robot.lookup(".confirmation").tryQuery()).as("the trip shortcut asks nothing").isEmpty();

    ui.showTab("Registry");
    ui.selectInstance("users-2");
    assertThat(robot.lookup("#registry-tree").<javafx.scene.control.TreeTableView<?>>query()
        .getSelectionModel().getSelectedItem()).isNotNull();
    assertThat(robot.lookup("#drain-instance").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#undrain-instance").queryButton().isDisabled()).isTrue();
  }
}
