package dev.sluice.console.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Incident safety from the console against a real agent on loopback: the floor's explicit escape
 * and Revert from the audit log.
 */
class SafetyUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui = ConsoleUi.agent("edge-safety", "eu");

  @Test
  void aDrainRefusedByTheFloorCanGoBelowItAfterTypingTheServiceName(FxRobot robot) {
    ui.showTab("Registry");
    ui.selectInstance("users-1");
    await().atMost(CEILING).until(() -> !robot.lookup("#drain-instance").queryButton().isDisabled());
    robot.clickOn("#drain-instance");
    robot.clickOn("#change-reason").write("INC-21 users-1 corrupts sessions");
    robot.clickOn("#confirm-change");

    await().atMost(CEILING).until(() -> robot.lookup("#floor-escape-typed").tryQuery().isPresent()
        && robot.lookup("#floor-escape-typed").query().isVisible());
    assertThat(drained("users-1")).as("the floor refused the plain drain").isFalse();
    robot.clickOn("#floor-escape-typed").write("user");
    assertThat(robot.lookup("#floor-escape-confirm").queryButton().isDisabled())
        .as("the name is not typed in full yet").isTrue();
    robot.write("s");
    robot.clickOn("#floor-escape-confirm");

    await().atMost(CEILING).until(() -> drained("users-1"));
  }

  @Test
  void revertFromTheAuditLogRestoresTheLimitBeforeTheEntry(FxRobot robot) throws Exception {
    double before = limit();
    ui.agent().changeAsSomeoneElse();
    double changed = limit();
    assertThat(changed).isNotEqualTo(before);

    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A);
    await().atMost(CEILING).until(() -> robot.lookup("#audit-table .table-row-cell")
        .match(n -> n instanceof TableRow<?> r && r.getItem() instanceof
            dev.sluice.admin.v1.AuditEntry e && e.getRpc().equals("SetRateLimit")
            && e.getReason().equals("someone else")).tryQuery().isPresent());
    robot.clickOn(robot.lookup("#audit-table .table-row-cell")
        .match(n -> n instanceof TableRow<?> r && r.getItem() instanceof
            dev.sluice.admin.v1.AuditEntry e && e.getRpc().equals("SetRateLimit"))
        .<Node>query());
    robot.clickOn("#audit-revert");

    await().atMost(CEILING).until(() -> robot.lookup("#blast-radius").tryQuery().isPresent());
    assertThat(robot.lookup("#blast-radius").queryLabeled().getText()).startsWith("Revert a-");
    robot.clickOn("#change-reason").write("INC-22 undo the stray limit");
    robot.clickOn("#confirm-change");

    await().atMost(CEILING).until(() -> limit() == before);
  }

  private static boolean drained(String instanceId) {
    return ui.agent().runtime().control().state().services().stream()
        .flatMap(s -> s.instances().stream())
        .anyMatch(i -> i.id().equals(instanceId) && i.drain() != null);
  }

  private static double limit() {
    var l = ui.agent().runtime().control().state().routes().stream()
        .filter(r -> r.route().id().equals("users-get")).findFirst().orElseThrow().effectiveLimit();
    return l == null ? -1 : l.requestsPerSecond();
  }
}
