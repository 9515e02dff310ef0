package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextField;
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

/**
 * Attaching through the Attach dialog to a real agent: a view-only profile offers no change even
 * with an operator's token, and the saved profile holds no token but the session remembers it.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleAttachUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  private static final Path PROFILES =
      ThemePreference.defaultConfigDir().resolve("connections.json");
  @TempDir
  static Path dir;
  private static DemoGateway gateway;
  private ConsoleWindow window;

  @BeforeAll
  static void startGateway() throws Exception {
    Files.deleteIfExists(PROFILES);
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
  }

  @Stop
  void stop() {
    window.close();
  }

  @Test
  void viewOnlyProfileShowsNoEnabledMutationControlAndIsSavedWithoutItsToken(FxRobot robot)
      throws Exception {
    robot.push(KeyCode.CONTROL, KeyCode.O);
    robot.clickOn("#attach-address").write(gateway.adminHost() + ":" + gateway.adminPort());
    robot.clickOn("#attach-token").write(gateway.operatorToken());
    robot.clickOn("#attach-view-only");
    robot.clickOn("#attach-save");
    robot.clickOn("#profile-name").write("demo-readonly");
    robot.clickOn("#attach-ok");

    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));
    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").queryLabeled().getText()
        .equals("demo-operator · operator · scope: everything · may: permanent-override"
            + " · view-only profile: no changes sent"));
    showTab(robot, "Breakers");
    await().atMost(CEILING).until(() -> robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && "orders".equals(c.getText())).tryQuery()
        .isPresent());
    robot.clickOn(robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && "orders".equals(c.getText())).<Node>query());
    assertThat(robot.lookup("#breaker-table").queryTableView().getSelectionModel()
        .getSelectedItem()).as("a breaker is selected, so only the profile disables the actions")
        .isNotNull();
    for (String id : List.of("#trip-breaker", "#force-close-breaker", "#reset-breaker")) {
      assertThat(robot.lookup(id).queryButton().isDisabled()).as(id).isTrue();
    }
    showTab(robot, "Registry");
    await().atMost(CEILING).until(() -> robot.lookup("#registry-tree .tree-table-cell")
        .match(n -> n instanceof TreeTableCell<?, ?> c && "orders-1".equals(c.getText()))
        .tryQuery().isPresent());
    robot.clickOn(robot.lookup("#registry-tree .tree-table-cell")
        .match(n -> n instanceof TreeTableCell<?, ?> c && "orders-1".equals(c.getText()))
        .<Node>query());
    assertThat(robot.lookup("#drain-instance").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#undrain-instance").queryButton().isDisabled()).isTrue();

    String saved = Files.readString(PROFILES);
    assertThat(saved).contains("demo-readonly", String.valueOf(gateway.adminPort()))
        .doesNotContain(gateway.operatorToken());

    robot.push(KeyCode.CONTROL, KeyCode.O);
    ComboBox<String> choice = robot.lookup("#profile-choice").queryComboBox();
    robot.interact(() -> choice.getSelectionModel().select("demo-readonly"));
    assertThat(robot.lookup("#attach-address").<TextField>query().getText())
        .isEqualTo(gateway.adminHost() + ":" + gateway.adminPort());
    assertThat(robot.lookup("#attach-token").<PasswordField>query().getText())
        .as("remembered for this session").isEqualTo(gateway.operatorToken());
    robot.push(KeyCode.ESCAPE);
  }

  @Test
  void scopedOperatorIsOfferedChangesOnlyForTheServicesInItsScope(FxRobot robot) {
    robot.interact(() -> window.attach(new dev.sluice.console.connection.GatewayTarget(
        gateway.adminHost(), gateway.adminPort(), gateway.paymentsOperatorToken())));

    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").tryQuery().isPresent()
        && robot.lookup("#gateway-access").queryLabeled().getText().equals(
            "demo-payments-oncall · operator · scope: services payments;"
                + " routes /api/v1/payments, /hooks/payments"));
    showTab(robot, "Breakers");
    selectBreaker(robot, "users");
    assertThat(robot.lookup("#trip-breaker").queryButton().isDisabled())
        .as("users is outside the scope").isTrue();
    selectBreaker(robot, "payments");
    assertThat(robot.lookup("#trip-breaker").queryButton().isDisabled())
        .as("payments is in the scope").isFalse();
  }

  private static void selectBreaker(FxRobot robot, String service) {
    await().atMost(CEILING).until(() -> robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && service.equals(c.getText())).tryQuery()
        .isPresent());
    robot.clickOn(robot.lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && service.equals(c.getText())).<Node>query());
  }

  private static void showTab(FxRobot robot, String title) {
    robot.clickOn(robot.lookup(".tab-header-area .tab-label")
        .match(n -> n instanceof Label l && title.equals(l.getText())).<Node>query());
  }
}
