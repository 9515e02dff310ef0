package dev.sluice.console.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;

/**
 * The Demo menu: breaks the demo's upstreams on purpose (errors, slowness, a dead instance) so
 * breakers trip and instances get ejected for real, heals them, restarts the agent, and attaches
 * further sessions with a viewer's or a scoped operator's token. Shown only in demo mode; every action runs on {@code background}.
 */
public final class DemoMenu {
  private DemoMenu() {}

  /** What a service's submenu offers, in order. */
  private enum Choice {
    HEALTHY("Healthy"),
    ONE_FAILING("One instance answers errors (ejected)"),
    ALL_FAILING("All instances answer errors (breaker opens)"),
    ALL_SLOW("All instances slow (slow-call breaker)"),
    ONE_DEAD("One instance dies (connections refused)");

    private final String label;

    Choice(String label) {
      this.label = label;
    }
  }

  /**
   * @param attachAgain attaches the demo gateway again with the given token (on the FX thread)
   */
  public static Menu create(DemoGateway demo, Executor background,
      java.util.function.Consumer<String> attachAgain) {
    Menu menu = new Menu("Demo");
    menu.setId("demo-menu");
    List<ToggleGroup> groups = new ArrayList<>();
    for (String service : demo.services()) {
      Menu sub = new Menu(service);
      ToggleGroup group = new ToggleGroup();
      groups.add(group);
      for (Choice choice : Choice.values()) {
        RadioMenuItem item = new RadioMenuItem(choice.label);
        item.setToggleGroup(group);
        item.setSelected(choice == Choice.HEALTHY);
        item.setUserData(choice);
        item.setOnAction(e -> background.execute(() -> apply(demo, service, choice)));
        sub.getItems().add(item);
      }
      menu.getItems().add(sub);
    }
    MenuItem heal = new MenuItem("Heal all upstreams");
    heal.setOnAction(e -> {
      for (ToggleGroup group : groups) {
        group.getToggles().stream().filter(t -> t.getUserData() == Choice.HEALTHY).findFirst()
            .ifPresent(t -> t.setSelected(true));
      }
      background.execute(demo::healAll);
    });
    MenuItem restart = new MenuItem("Restart the gateway agent");
    restart.setOnAction(e -> background.execute(() -> {
      try {
        demo.restartAgent();
      } catch (java.io.IOException | RuntimeException ex) {
        System.err.println("sluice-console: the demo agent did not come back: " + ex.getMessage());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }));
    MenuItem viewer = new MenuItem("Attach again as a viewer (read-only role)");
    viewer.setOnAction(e -> attachAgain.accept(demo.viewerToken()));
    MenuItem scoped = new MenuItem("Attach again as the payments on-call (operator, payments only)");
    scoped.setOnAction(e -> attachAgain.accept(demo.paymentsOperatorToken()));
    menu.getItems().addAll(
        new SeparatorMenuItem(), heal, restart, new SeparatorMenuItem(), viewer, scoped);
    return menu;
  }

  private static void apply(DemoGateway demo, String service, Choice choice) {
    demo.setService(service, DemoGateway.Fault.NONE);
    String first = demo.instances(service).get(0);
    switch (choice) {
      case HEALTHY -> { }
      case ONE_FAILING -> demo.setInstance(service, first, DemoGateway.Fault.ERRORS);
      case ALL_FAILING -> demo.setService(service, DemoGateway.Fault.ERRORS);
      case ALL_SLOW -> demo.setService(service, DemoGateway.Fault.SLOW);
      case ONE_DEAD -> demo.setInstance(service, first, DemoGateway.Fault.DEAD);
    }
  }
}
