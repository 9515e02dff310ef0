package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.support.ConsoleUi;
import dev.sluice.console.theme.ThemePreference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Attaching through the Attach dialog to a real agent: a view-only profile offers no change even
 * with an operator's token, and the saved profile holds no token but the session remembers it.
 */
class ConsoleAttachUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  private static final Path PROFILES =
      ThemePreference.defaultConfigDir().resolve("connections.json");
  @RegisterExtension
  static final ConsoleUi<DemoGateway> ui = ConsoleUi.demoGateway().attachingNothing();

  @BeforeAll
  static void noSavedProfiles() throws Exception {
    Files.deleteIfExists(PROFILES);
  }

  @Test
  void viewOnlyProfileShowsNoEnabledMutationControlAndIsSavedWithoutItsToken(FxRobot robot)
      throws Exception {
    DemoGateway gateway = ui.agent();
    robot.push(KeyCode.CONTROL, KeyCode.O);
    robot.clickOn("#attach-address").write(gateway.adminHost() + ":" + gateway.adminPort());
    robot.clickOn("#attach-token").write(gateway.operatorToken());
    robot.clickOn("#attach-view-only");
    robot.clickOn("#attach-save");
    robot.clickOn("#profile-name").write("demo-readonly");
    robot.clickOn("#attach-ok");

    ui.awaitLive();
    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").queryLabeled().getText()
        .equals("demo-operator · operator · scope: everything · may: permanent-override"
            + " · view-only profile: no changes sent"));
    ui.showTab("Breakers");
    ui.selectBreaker("orders");
    assertThat(robot.lookup("#breaker-table").queryTableView().getSelectionModel()
        .getSelectedItem()).as("a breaker is selected, so only the profile disables the actions")
        .isNotNull();
    for (String id : List.of("#trip-breaker", "#force-close-breaker", "#reset-breaker")) {
      assertThat(robot.lookup(id).queryButton().isDisabled()).as(id).isTrue();
    }
    ui.showTab("Registry");
    ui.selectInstance("orders-1");
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
    robot.interact(() -> ui.window().attach(
        ConsoleUi.target(ui.agent(), ui.agent().paymentsOperatorToken())));

    await().atMost(CEILING).until(() -> robot.lookup("#gateway-access").tryQuery().isPresent()
        && robot.lookup("#gateway-access").queryLabeled().getText().equals(
            "demo-payments-oncall · operator · scope: services payments;"
                + " routes /api/v1/payments, /hooks/payments"));
    ui.showTab("Breakers");
    ui.selectBreaker("users");
    assertThat(robot.lookup("#trip-breaker").queryButton().isDisabled())
        .as("users is outside the scope").isTrue();
    ui.selectBreaker("payments");
    assertThat(robot.lookup("#trip-breaker").queryButton().isDisabled())
        .as("payments is in the scope").isFalse();
  }
}
