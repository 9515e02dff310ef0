package dev.sluice.console;

import dev.sluice.console.breakers.BreakersView;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.events.EventsView;
import dev.sluice.console.registry.RegistryView;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.routes.RoutesView;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;

/** One gateway's views in tabs (routes, breakers, registry, events) under its identity line. */
public final class GatewayView {
  private final BorderPane root = new BorderPane();
  private final TabPane tabs = new TabPane();
  private final RoutesView routes;
  private final BreakersView breakers;
  private final RegistryView registry;
  private final dev.sluice.console.history.HistoryChartView historyCharts;

  public GatewayView(GatewayViewModel vm, Consumer<PendingChange> confirm) {
    root.getStyleClass().add("gateway-view");
    Label identity = new Label();
    identity.getStyleClass().add("gateway-identity");
    identity.textProperty().bind(vm.identityProperty());
    Label access = new Label();
    access.setId("gateway-access");
    access.getStyleClass().add("gateway-access");
    access.textProperty().bind(vm.accessProperty());
    BorderPane header = new BorderPane(identity);
    header.setRight(access);
    header.getStyleClass().add("gateway-header");
    BorderPane.setAlignment(identity, javafx.geometry.Pos.CENTER_LEFT);
    BorderPane.setAlignment(access, javafx.geometry.Pos.CENTER_RIGHT);

    routes = new RoutesView(vm.routes(), vm.framesAppliedProperty());
    historyCharts = new dev.sluice.console.history.HistoryChartView(vm.history());
    routes.attachHistory(historyCharts);
    // Actions follow the role, the view-only switch and the scope for the selected row's service.
    BooleanProperty mayChangeBreaker = new SimpleBooleanProperty(false);
    BooleanProperty mayChangeInstance = new SimpleBooleanProperty(false);
    breakers = new BreakersView(vm.breakers(), confirm, mayChangeBreaker);
    registry = new RegistryView(vm.registry(), confirm, mayChangeInstance);
    var extend = new dev.sluice.console.safety.ExtendDialog(vm::maxOverrideTtl);
    breakers.setExtendDialog(extend);
    registry.setExtendDialog(extend);
    var breaker = breakers.table().getSelectionModel().selectedItemProperty();
    mayChangeBreaker.bind(Bindings.createBooleanBinding(
        () -> breaker.get() == null ? vm.mayChangeProperty().get() : vm.mayChange(breaker.get().service()),
        breaker, vm.mayChangeProperty(), vm.accessProperty()));
    var instance = registry.table().getSelectionModel().selectedItemProperty();
    mayChangeInstance.bind(Bindings.createBooleanBinding(
        () -> instance.get() == null || instance.get().getValue() == null
            ? vm.mayChangeProperty().get() : vm.mayChange(instance.get().getValue().service()),
        instance, vm.mayChangeProperty(), vm.accessProperty()));
    EventsView events = new EventsView(vm.events());
    tabs.getTabs().addAll(
        tab("Routes", "tab-routes", routes.node()),
        tab("Breakers", "tab-breakers", breakers.node()),
        tab("Registry", "tab-registry", registry.node()),
        tab("Events", "tab-events", events.node()));
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    root.setTop(header);
    root.setCenter(tabs);
    vm.staleProperty().addListener((o, a, stale) -> {
      root.getStyleClass().remove("stale");
      if (stale) {
        root.getStyleClass().add("stale");
      }
    });
  }

  public Node node() {
    return root;
  }

  public void showTab(int index) {
    tabs.getSelectionModel().select(index);
  }

  public void focusSearch() {
    showTab(0);
    routes.focusSearch();
  }

  /** Trips the selected breaker, or the breaker of the selected route's service. */
  public void tripSelected() {
    if (tabs.getSelectionModel().getSelectedIndex() == 0) {
      RouteRow row = routes.selected();
      if (row != null && row.route() != null) {
        breakers.tripService(row.route().getService());
      }
    } else {
      breakers.tripSelected();
    }
  }

  public void drainSelected() {
    registry.drainSelected();
  }

  public RoutesView routes() {
    return routes;
  }

  /** The route detail's history charts. */
  public dev.sluice.console.history.HistoryChartView historyCharts() {
    return historyCharts;
  }

  private static Tab tab(String title, String id, Node content) {
    Tab tab = new Tab(title, content);
    tab.setId(id);
    return tab;
  }
}
