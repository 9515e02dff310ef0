package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.BreakerState;
import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.demo.DemoMenu;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.support.AgentProbe;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TreeTableCell;
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
import org.testfx.util.WaitForAsyncUtils;

/** The Demo menu breaks a real upstream and the agent's breaker opens by itself, badge and all. */
@ExtendWith(ApplicationExtension.class)
class ConsoleDemoMenuUiTest {
  private static final Duration CEILING = Duration.ofSeconds(90);
  @TempDir
  static Path dir;
  private static DemoGateway gateway;
  private static AgentProbe agent;
  private final java.util.concurrent.ExecutorService demoActions =
      Executors.newSingleThreadExecutor();
  private ConsoleWindow window;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = DemoGateway.start(dir, 0);
    agent = new AgentProbe(gateway);
  }

  @AfterAll
  static void stopGateway() {
    agent.close();
    gateway.close();
  }

  @Start
  void start(Stage stage) {
    ConsoleWindow[] created = new ConsoleWindow[1];
    window = new ConsoleWindow(
        new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir())),
        List.of(DemoMenu.create(gateway, demoActions, token ->
            created[0].attach(new GatewayTarget(gateway.adminHost(), gateway.adminPort(), token)))));
    created[0] = window;
    Scene scene = new Scene(window.root(), 1200, 760);
    window.install(scene);
    stage.setScene(scene);
    stage.show();
    window.attach(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.operatorToken()));
  }

  @Stop
  void stop() {
    window.close();
    demoActions.shutdownNow();
  }

  @Test
  void failingAllPaymentsInstancesFromTheDemoMenuOpensTheBreakerAndTheBadgeSaysOpen(FxRobot robot)
      throws Exception {
    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));

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
