package dev.sluice.console;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoMenu;
import dev.sluice.console.demo.GatewaySimulator;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.stage.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The JavaFX application: builds the main window and attaches the gateway the options name. In
 * demo mode it first starts the simulated gateway and adds its Demo menu; this is the only class
 * outside {@code demo} that knows the gateway is simulated.
 */
public final class ConsoleApp extends Application {
  /** Set by {@link Main} before launch (Application.launch takes no constructor arguments). */
  static LaunchOptions options = LaunchOptions.parse(List.of(), null);

  private @Nullable GatewaySimulator simulator;
  private @Nullable ConsoleWindow window;

  @Override
  public void start(Stage stage) {
    ThemeManager themes = new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir()));
    GatewayTarget target;
    List<Menu> extraMenus = List.of();
    if (options.target().isPresent()) {
      target = options.target().get();
    } else {
      GatewaySimulator sim = GatewaySimulator.start();
      simulator = sim;
      target = new GatewayTarget(sim.host(), sim.port(), null);
      extraMenus = List.of(DemoMenu.create(sim));
    }
    ConsoleWindow main = new ConsoleWindow(themes, extraMenus);
    window = main;
    Scene scene = new Scene(main.root(), 1440, 900);
    main.install(scene);
    stage.setTitle("Sluice console " + Main.version());
    stage.setScene(scene);
    stage.show();
    main.attach(target);
  }

  @Override
  public void stop() {
    if (window != null) {
      window.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }
}
