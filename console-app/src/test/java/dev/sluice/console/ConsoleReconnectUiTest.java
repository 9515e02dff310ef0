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
import javafx.scene.Scene;
import javafx.scene.control.Label;
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

/** The window while its gateway agent stops and starts again on the same admin port. */
@ExtendWith(ApplicationExtension.class)
class ConsoleReconnectUiTest {
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
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.operatorToken()));
  }

  @Stop
  void stop() {
    window.close();
  }

  @Test
  void agentRestartShowsReconnectingWithStaleDataThenLiveAgain(FxRobot robot) throws Exception {
    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));

    gateway.stopAgent();

    await().atMost(CEILING).until(() -> status.getText().startsWith("Reconnecting"));
    assertThat(status.getText()).contains("last update");
    assertThat(status.getStyleClass()).contains("stale");
    await().atMost(CEILING).until(() -> robot.lookup(".gateway-cell .gateway-address")
        .match(n -> n instanceof Label l
            && l.getText().matches("reconnecting, last update \\d+ s ago · operator"))
        .tryQuery().isPresent());

    gateway.startAgent();

    await().atMost(CEILING).until(() -> status.getText().startsWith("Live")
        && !status.getStyleClass().contains("stale"));
  }
}
