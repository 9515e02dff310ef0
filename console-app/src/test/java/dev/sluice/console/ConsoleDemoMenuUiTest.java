package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.BreakerState;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.demo.DemoMenu;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.support.AgentProbe;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.control.Label;
import javafx.scene.control.TreeTableCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The Demo menu breaks a real upstream and the agent's breaker opens by itself, badge and all. */
class ConsoleDemoMenuUiTest {
  private static final Duration CEILING = Duration.ofSeconds(90);
  private static final ExecutorService DEMO_ACTIONS = Executors.newSingleThreadExecutor();
  @RegisterExtension
  static final ConsoleUi<DemoGateway> ui = ConsoleUi.demoGateway().withMenus(fixture -> List.of(
      DemoMenu.create(fixture.agent(), DEMO_ACTIONS, token ->
          fixture.window().attach(ConsoleUi.target(fixture.agent(), token)))));
  private static AgentProbe agent;

  @BeforeAll
  static void probeTheAgent() {
    agent = new AgentProbe(ui.agent());
  }

  @AfterAll
  static void stopProbeAndDemoActions() {
    agent.close();
    DEMO_ACTIONS.shutdownNow();
  }

  @Test
  void failingAllPaymentsInstancesFromTheDemoMenuOpensTheBreakerAndTheBadgeSaysOpen(FxRobot robot)
      throws Exception {
    ui.awaitLive();

    javafx.scene.control.MenuBar bar = robot.lookup(".menu-bar").query();
    javafx.scene.control.MenuItem allFailing = bar.getMenus().stream()
        .filter(m -> m.getText().equals("Demo")).findFirst().orElseThrow().getItems().stream()
        .filter(i -> "payments".equals(i.getText())).map(i -> (javafx.scene.control.Menu) i)
        .findFirst().orElseThrow().getItems().stream()
        .filter(i -> i.getText().equals("All instances answer errors (breaker opens)"))
        .findFirst().orElseThrow();
    robot.interact(allFailing::fire);

    await().atMost(CEILING).until(() ->
        agent.breaker("payments").getComputedState() == BreakerState.BREAKER_STATE_OPEN);
    await().atMost(CEILING).until(() -> WaitForAsyncUtils.asyncFx(() ->
        robot.lookup("#route-tree .tree-table-cell").queryAll().stream()
            .map(n -> (TreeTableCell<?, ?>) n)
            .filter(c -> c.getTableColumn() != null
                && "col-breaker".equals(c.getTableColumn().getId()))
            .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() instanceof RouteRow r
                && r.route() != null && r.route().getId().equals("payments-charge"))
            .anyMatch(c -> c.getGraphic() instanceof Label l
                && l.getStyleClass().contains("breaker-open"))).get());
    assertThat(agent.breaker("users").getComputedState())
        .isEqualTo(BreakerState.BREAKER_STATE_CLOSED);
  }
}
