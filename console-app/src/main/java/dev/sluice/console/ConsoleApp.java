package dev.sluice.console;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.demo.DemoMenu;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.stage.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The JavaFX application: builds the main window and attaches the gateway the options name. In
 * demo mode it first starts the embedded demo gateway (in {@link #init()}, off the FX thread) and
 * adds its Demo menu; this is the only class outside {@code demo} that knows about demo mode.
 */
public final class ConsoleApp extends Application {
  /** Set by {@link Main} before launch (Application.launch takes no constructor arguments). */
  static LaunchOptions options = LaunchOptions.parse(List.of(), null);

  private final ExecutorService demoActions = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "sluice-demo-actions");
    thread.setDaemon(true);
    return thread;
  });
  private @Nullable DemoGateway demo;
  private @Nullable ConsoleWindow window;

  @Override
  public void init() throws Exception {
    if (options.target().isEmpty()) {
      demo = DemoGateway.start();
    }
  }

  @Override
  public void start(Stage stage) {
    ThemeManager themes = new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir()));
    GatewayTarget target;
    List<Menu> extraMenus = List.of();
    ConsoleWindow[] created = new ConsoleWindow[1];
    DemoGateway running = demo;
    if (running == null) {
      target = options.target().orElseThrow();
    } else {
      target = new GatewayTarget(running.adminHost(), running.adminPort(), running.operatorToken());
      extraMenus = List.of(DemoMenu.create(running, demoActions, token -> created[0].attach(
          new GatewayTarget(running.adminHost(), running.adminPort(), token))));
    }
    ConsoleWindow main = new ConsoleWindow(themes, extraMenus);
    created[0] = main;
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
    demoActions.shutdownNow();
    if (demo != null) {
      demo.close();
    }
  }
}
