package dev.sluice.console.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import java.time.Instant;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Extend with a chosen duration, from the console against a real agent (maximum TTL 2 h): the
 * choices above the maximum are off, and the chosen one becomes the override's deadline on the agent.
 */
class ExtendChoiceUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui = ConsoleUi.agent("edge-extend", "eu");

  @Test
  void extendingByAnHourMovesTheDeadlineOnTheAgentAnHourFromNow(FxRobot robot) {
    tripForTenMinutes("orders");
    Instant tripDeadline = deadline("orders");
    robot.clickOn(robot.from(ui.window().root()).lookup(".tab-header-area .tab-label")
        .match(n -> n instanceof Label l && "Breakers".equals(l.getText())).<Node>query());
    await().atMost(CEILING).until(() -> breakerCell(robot, "orders") != null);
    robot.clickOn(breakerCell(robot, "orders"));
    await().atMost(CEILING).until(() -> !robot.lookup("#extend-override").queryButton().isDisabled());
    robot.clickOn("#extend-override");

    await().atMost(CEILING).until(() -> robot.lookup("#extend-60m").tryQuery().isPresent());
    RadioButton fourHours = robot.lookup("#extend-240m").query();
    assertThat(fourHours.isDisabled()).as("4 h is above the agent's 2 h maximum").isTrue();
    assertThat(robot.lookup("#extend-60m").<RadioButton>query().isDisabled()).isFalse();
    assertThat(robot.lookup("#extend-cap").queryLabeled().getText())
        .isEqualTo("4 h is off: longer than the agent's maximum, 2 h (agent.maxOverrideTtl).");
    robot.clickOn("#extend-60m");
    robot.clickOn("#extend-next");
    await().atMost(CEILING).until(() -> robot.lookup("#change-reason").tryQuery().isPresent());
    assertThat(robot.lookup("#blast-radius").queryLabeled().getText())
        .contains("for 1 h 0 min from now");
    robot.clickOn("#change-reason").write("INC-31 orders still failing over");
    Instant before = Instant.now();
    robot.clickOn("#confirm-change");

    await().atMost(CEILING).until(() -> !deadline("orders").equals(tripDeadline));
    Instant after = Instant.now();
    assertThat(deadline("orders")).as("an hour counted from when the extend was sent")
        .isBetween(before.plus(Duration.ofHours(1)).minusSeconds(1),
            after.plus(Duration.ofHours(1)).plusSeconds(1));
  }

  @Test
  void aCustomDurationAboveTheMaximumCannotBeChosen(FxRobot robot) {
    tripForTenMinutes("users");
    robot.clickOn(robot.from(ui.window().root()).lookup(".tab-header-area .tab-label")
        .match(n -> n instanceof Label l && "Breakers".equals(l.getText())).<Node>query());
    await().atMost(CEILING).until(() -> breakerCell(robot, "users") != null);
    robot.clickOn(breakerCell(robot, "users"));
    await().atMost(CEILING).until(() -> !robot.lookup("#extend-override").queryButton().isDisabled());
    robot.clickOn("#extend-override");
    await().atMost(CEILING).until(() -> robot.lookup("#extend-custom").tryQuery().isPresent());

    robot.clickOn("#extend-custom");
    robot.clickOn("#extend-custom-text").write("3h");
    assertThat(robot.lookup("#extend-next").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#extend-problems").queryLabeled().getText())
        .isEqualTo("custom: 3 h is longer than the agent's maximum, 2 h (agent.maxOverrideTtl)");
    robot.eraseText(2).write("90m");
    assertThat(robot.lookup("#extend-next").queryButton().isDisabled()).isFalse();
  }

  private Node breakerCell(FxRobot robot, String service) {
    return robot.from(ui.window().root()).lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && service.equals(c.getText()))
        .tryQuery().orElse(null);
  }

  private static Instant deadline(String service) {
    return ui.agent().runtime().control().state().services().stream()
        .filter(s -> s.config().name().equals(service)).findFirst().orElseThrow()
        .breakerOverride().expiresAt();
  }

  /** Another operator trips the breaker for 10 minutes through the admin API. */
  private static void tripForTenMinutes(String service) {
    OperatorCalls.asOperator(ui.agent(), control -> control.tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(ChangeContext.newBuilder().setReason("INC-31 " + service + " failing"))
        .setService(service)
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
        .build()));
  }
}
