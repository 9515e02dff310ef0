package dev.sluice.console.editors;

import static dev.sluice.console.support.ConsoleUi.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextInputControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The route and rate-limit editors in the console's window, headless (Monocle), attached over real
 * gRPC on loopback to a real agent started for this class.
 */
class EditorsUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui = ConsoleUi.agent("edge-ui", "eu");

  @Test
  void anInvalidLimitShowsAnErrorAndSendsNothing(FxRobot robot) throws Exception {
    long versionBefore = ui.agent().runtime().control().version();
    Double limitBefore = limitOf("users-get");
    select(robot, "users-get");
    robot.clickOn("#edit-limit");
    await().atMost(CEILING).until(() -> robot.lookup("#edit-rps").tryQuery().isPresent());

    replace(robot, "#edit-rps", "-5");
    robot.clickOn("#edit-reason").write("INC-11 shed load");

    assertThat(robot.lookup("#edit-problems").queryLabeled().getText())
        .contains("limit.requests_per_second: must be greater than zero");
    assertThat(robot.lookup("#edit-check").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#edit-apply").queryButton().isDisabled()).isTrue();
    robot.clickOn("#edit-check");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(ui.agent().runtime().control().version()).as("nothing was applied").isEqualTo(versionBefore);
    assertThat(limitOf("users-get")).isEqualTo(limitBefore);
    close(robot);
  }

  @Test
  void aValidLimitIsCheckedShownAsADiffAndApplied(FxRobot robot) throws Exception {
    select(robot, "users-list");
    robot.clickOn("#edit-limit");
    await().atMost(CEILING).until(() -> robot.lookup("#edit-rps").tryQuery().isPresent());

    replace(robot, "#edit-rps", "30");
    replace(robot, "#edit-burst", "5");
    replace(robot, "#edit-ttl", "20m");
    robot.clickOn("#edit-reason").write("INC-12 users list scraped");
    robot.clickOn("#edit-check");

    await().atMost(CEILING).until(() -> !robot.lookup("#edit-apply").queryButton().isDisabled());
    assertThat(onFx(() -> ((javafx.scene.control.ListView<?>) robot.lookup("#edit-diff").query())
        .getItems().stream().map(Object::toString).toList()))
        .anyMatch(line -> line.contains("30"));
    robot.clickOn("#edit-apply");

    await().atMost(CEILING).until(() -> limitOf("users-list") != null);
    assertThat(limitOf("users-list")).isEqualTo(30.0);
    await().atMost(CEILING).until(() -> robot.lookup("#editor-dialog").tryQuery().isEmpty());
    await().atMost(CEILING).until(() -> robot.from(ui.window().root()).lookup("#status-message")
        .queryLabeled().getText().startsWith("Applied: config v"));
  }

  @Test
  void aChangeMadeMeanwhileShowsTheConflictDialogAndReloadReapplies(FxRobot robot) throws Exception {
    select(robot, "orders");
    robot.clickOn("#edit-route");
    await().atMost(CEILING).until(() -> robot.lookup("#edit-timeout").tryQuery().isPresent());
    replace(robot, "#edit-timeout", "9s");
    robot.clickOn("#edit-reason").write("INC-13 orders upstream slow");

    ui.agent().changeAsSomeoneElse();
    robot.clickOn("#edit-check");

    await().atMost(CEILING).until(() -> robot.lookup("#conflict-dialog").tryQuery().isPresent());
    // The dialog's nodes exist a moment before its window shows; a click needs it shown.
    await().atMost(CEILING).until(() -> robot.lookup("#conflict-reload")
        .match(NodeQueryUtils.isVisible()).tryQuery().isPresent());
    robot.clickOn("#conflict-reload");
    await().atMost(CEILING).until(() -> timeoutOf("orders") != null);
    assertThat(timeoutOf("orders")).isEqualTo(Duration.ofSeconds(9));
  }

  private void select(FxRobot robot, String routeId) throws Exception {
    await().atMost(CEILING).until(() -> robot.lookup("#route-tree").tryQuery().isPresent());
    ui.selectRoute(routeId);
    await().atMost(CEILING).until(() -> !robot.lookup("#edit-limit").queryButton().isDisabled());
  }

  private static void replace(FxRobot robot, String query, String text) {
    TextInputControl field = robot.lookup(query).query();
    robot.interact(field::clear);
    robot.clickOn(field).write(text);
  }

  private static void close(FxRobot robot) {
    robot.clickOn(robot.lookup("#editor-dialog .button")
        .match(n -> n instanceof Button b && "Close".equals(b.getText())).<Node>query());
  }

  private static Double limitOf(String routeId) {
    var limit = ui.agent().runtime().control().state().routes().stream()
        .filter(r -> r.route().id().equals(routeId)).findFirst().orElseThrow().effectiveLimit();
    return limit == null ? null : limit.requestsPerSecond();
  }

  private static Duration timeoutOf(String routeId) {
    return ui.agent().runtime().control().state().routes().stream()
        .filter(r -> r.route().id().equals(routeId)).findFirst().orElseThrow()
        .route().responseTimeout();
  }
}
