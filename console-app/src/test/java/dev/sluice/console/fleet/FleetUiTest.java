package dev.sluice.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.GatewaySession;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/** The fleet window over two real agents of one cluster, attached side by side. */
class FleetUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  @RegisterExtension
  static final ConsoleUi<List<AgentFixture>> ui = ConsoleUi.agents("eu-west", "edge-a", "edge-b")
      .attachingAs(agents -> AgentFixture.VIEWER);

  @Test
  void agentsOfOneClusterShowTogetherWithADrillDownToEachAgent(FxRobot robot) {
    ui.awaitLive();
    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F);

    await().atMost(CEILING).until(() -> robot.lookup("#fleet-agents-summary").tryQuery()
        .map(n -> ((javafx.scene.control.Label) n).getText()).orElse("")
        .equals("2 agents: edge-a, edge-b"));
    TableView<FleetFigures.FleetRoute> routes = robot.lookup("#fleet-routes").query();
    await().atMost(CEILING).until(() -> routes.getItems().size() == 3);
    robot.interact(() -> routes.getSelectionModel().select(routes.getItems().stream()
        .filter(f -> f.routeId().equals("users-get")).findFirst().orElseThrow()));
    TableView<FleetFigures.AgentSample> agents = robot.lookup("#fleet-drilldown").query();
    await().atMost(CEILING).until(() -> agents.getItems().size() == 2);

    robot.interact(() -> agents.getSelectionModel().select(agents.getItems().stream()
        .filter(a -> a.agentId().equals("edge-a")).findFirst().orElseThrow()));
    robot.clickOn("#fleet-show-agent");

    ListView<GatewaySession> sidebar =
        robot.from(ui.window().root()).lookup("#gateway-list").query();
    await().atMost(CEILING).until(() ->
        sidebar.getSelectionModel().getSelectedItem().viewModel().agentId().equals("edge-a"));
    assertThat(routes.getItems()).extracting(FleetFigures.FleetRoute::routeId)
        .containsExactly("orders", "users-get", "users-list");
  }
}
