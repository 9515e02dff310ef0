package dev.sluice.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.ConsoleWindow;
import dev.sluice.console.GatewaySession;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The fleet window over two real agents of one cluster, attached side by side. */
@ExtendWith(ApplicationExtension.class)
class FleetUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  private static AgentFixture one;
  private static AgentFixture two;
  private ConsoleWindow window;

  @BeforeAll
  static void startAgents() throws Exception {
    one = AgentFixture.start("edge-a", "eu-west");
    two = AgentFixture.start("edge-b", "eu-west");
  }

  @AfterAll
  static void stopAgents() {
    one.close();
    two.close();
  }

  @Start
  void start(Stage stage) {
    ThemeManager themes = new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir()));
    window = new ConsoleWindow(themes, List.of());
    Scene scene = new Scene(window.root(), 1280, 800);
    window.install(scene);
    stage.setScene(scene);
    stage.show();
    window.attach(one.target(AgentFixture.VIEWER));
    window.attach(two.target(AgentFixture.VIEWER));
  }

  @Stop
  void stop() {
    window.close();
  }

  @Test
  void agentsOfOneClusterShowTogetherWithADrillDownToEachAgent(FxRobot robot) {
    await().atMost(CEILING).until(() -> robot.from(window.root()).lookup("#status-text")
        .queryLabeled().getText().startsWith("Live"));
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

    ListView<GatewaySession> sidebar = robot.from(window.root()).lookup("#gateway-list").query();
    await().atMost(CEILING).until(() ->
        sidebar.getSelectionModel().getSelectedItem().viewModel().agentId().equals("edge-a"));
    assertThat(routes.getItems()).extracting(FleetFigures.FleetRoute::routeId)
        .containsExactly("orders", "users-get", "users-list");
  }
}
