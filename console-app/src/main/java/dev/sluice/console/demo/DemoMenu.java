package dev.sluice.console.demo;

import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The Demo menu: makes a simulated upstream fail (so its breaker opens by itself) or recover.
 * Shown only in demo mode.
 */
public final class DemoMenu {
  private DemoMenu() {}

  public static Menu create(GatewaySimulator simulator) {
    Menu menu = new Menu("Demo");
    menu.setId("demo-menu");
    for (String service : simulator.services()) {
      CheckMenuItem fail = new CheckMenuItem("Make " + service + " fail");
      fail.setSelected(simulator.isFailing(service));
      fail.selectedProperty().addListener((o, a, failing) -> simulator.setFailing(service, failing));
      menu.getItems().add(fail);
    }
    MenuItem recover = new MenuItem("Recover all services");
    recover.setOnAction(e -> {
      for (var item : menu.getItems()) {
        if (item instanceof CheckMenuItem check) {
          check.setSelected(false);
        }
      }
    });
    menu.getItems().addAll(new SeparatorMenuItem(), recover);
    return menu;
  }
}
