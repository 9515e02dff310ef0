package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.GatewaySimulator;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The window while its gateway goes away and comes back on the same port. */
@ExtendWith(ApplicationExtension.class)
class ConsoleReconnectUiTest {
  private static final Duration CEILING = Duration.ofSeconds(30);
  private GatewaySimulator gateway = GatewaySimulator.start();
  private ConsoleWindow window;

  @Start
  void start(Stage stage) {
    window = new ConsoleWindow(
        new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir())), List.of());
    Scene scene = new Scene(window.root(), 1200, 760);
    window.install(scene);
    stage.setScene(scene);
    stage.show();
    window.attach(new GatewayTarget(gateway.host(), gateway.port(), null));
  }

  @Stop
  void stop() {
    window.close();
  }

  @AfterEach
  void closeGateway() {
    gateway.close();
  }

  @Test
  void gatewayRestartShowsReconnectingWithStaleDataThenLiveAgain(FxRobot robot) {
    Label status = robot.lookup("#status-text").query();
    await().atMost(CEILING).until(() -> status.getText().startsWith("Live"));
    int port = gateway.port();

    gateway.close();

    await().atMost(CEILING).until(() -> status.getText().startsWith("Reconnecting"));
    assertThat(status.getText()).contains("last update");
    assertThat(status.getStyleClass()).contains("stale");

    gateway = GatewaySimulator.start(port);

    await().atMost(CEILING).until(() -> status.getText().startsWith("Live")
        && !status.getStyleClass().contains("stale"));
  }
}
