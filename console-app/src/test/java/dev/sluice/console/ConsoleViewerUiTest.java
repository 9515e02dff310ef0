package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TreeTableCell;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** A console attached with a viewer's token offers no change, whatever is selected. */
@ExtendWith(ApplicationExtension.class)
class ConsoleViewerUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @TempDir
  static Path dir;
  private static DemoGateway gateway;
  private ConsoleWindow window;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = DemoGateway.start(dir, 0);
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @Start
  void start(Stage stage) {
    window = new ConsoleWindow(
        new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir())), List.of());
    Scene scene = new Scene(window.root(), 1200, 760);
    window.install(scene);
    stage.setScene(scene);
    stage.show();
    window.attach(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.viewerToken()));
  }

  @Stop
  void stop() {
    window.close();
  }

  @Test
  void viewerSessionShowsNoEnabledMutationControl(FxRobot robot) {
    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));
    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").queryLabeled().getText()
        .equals("demo-viewer · viewer (read-only)"));

    tab(robot, "Breakers");
    await().atMost(CEILING).until(() -> robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && "users".equals(c.getText())).tryQuery()
        .isPresent());
    robot.clickOn(robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && "users".equals(c.getText())).<Node>query());
    assertThat(robot.lookup("#breaker-table").queryTableView().getSelectionModel().getSelectedItem())
        .as("a breaker is selected, so only the role disables the actions").isNotNull();
    for (String id : List.of("#trip-breaker", "#force-close-breaker", "#reset-breaker")) {
      assertThat(robot.lookup(id).queryButton().isDisabled()).as(id).isTrue();
    }
    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
    assertThat(robot.lookup(".confirmation").tryQuery()).as("the trip shortcut asks nothing").isEmpty();

    tab(robot, "Registry");
    await().atMost(CEILING).until(() -> robot.lookup("#registry-tree .tree-table-cell")
        .match(n -> n instanceof TreeTableCell<?, ?> c && "users-2".equals(c.getText()))
        .tryQuery().isPresent());
    robot.clickOn(robot.lookup("#registry-tree .tree-table-cell")
        .match(n -> n instanceof TreeTableCell<?, ?> c && "users-2".equals(c.getText()))
        .<Node>query());
    assertThat(robot.lookup("#registry-tree").<javafx.scene.control.TreeTableView<?>>query()
        .getSelectionModel().getSelectedItem()).isNotNull();
    assertThat(robot.lookup("#drain-instance").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#undrain-instance").queryButton().isDisabled()).isTrue();
  }

  private static void tab(FxRobot robot, String title) {
    robot.clickOn(robot.lookup(".tab-header-area .tab-label")
        .match(n -> n instanceof Label l && title.equals(l.getText())).<Node>query());
  }
}
