package dev.sluice.console.fleet;

import dev.sluice.console.telemetry.Figures;
import dev.sluice.console.telemetry.RouteSample;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's routes across its agents (figures from merged histograms and summed counts) above
 * the chosen route's per-agent figures, with "Show agent" to open that agent's own views. Refreshes
 * once a second while shown; {@link #stop()} ends that.
 */
public final class FleetView {
  private final FleetViewModel vm;
  private final BorderPane root = new BorderPane();
  private final TableView<FleetFigures.FleetRoute> routes = new TableView<>();
  private final TableView<FleetFigures.AgentSample> agents = new TableView<>();
  private final Timeline refresh;

  /** @param showAgent opens the named agent's views (the drill-down) */
  public FleetView(FleetViewModel vm, Consumer<String> showAgent) {
    this.vm = vm;
    root.getStyleClass().add("fleet-view");
    root.setId("fleet-view");
    ComboBox<String> cluster = new ComboBox<>(vm.clusters());
    cluster.setId("fleet-cluster");
    cluster.valueProperty().bindBidirectional(vm.clusterProperty());
    Label members = new Label();
    members.setId("fleet-agents-summary");
    members.getStyleClass().add("muted");
    members.textProperty().bind(vm.agentsProperty());
    Label note = new Label("Percentiles come from the agents' merged histograms; counts are summed.");
    note.getStyleClass().add("hint");
    HBox toolbar = new HBox(8, new Label("Cluster"), cluster, members);
    toolbar.getStyleClass().add("view-toolbar");
    toolbar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

    routes.setId("fleet-routes");
    routes.setItems(vm.routes());
    routes.setPlaceholder(new Label("No routes: attach the agents of a cluster."));
    routes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    TableColumn<FleetFigures.FleetRoute, String> id = new TableColumn<>("Route");
    id.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().routeId()));
    id.setPrefWidth(220);
    TableColumn<FleetFigures.FleetRoute, String> serving = new TableColumn<>("Agents serving");
    serving.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(
        c.getValue().agentsWithTraffic() + " of " + c.getValue().agents().size()));
    routes.getColumns().add(id);
    routes.getColumns().add(serving);
    figureColumns(routes, FleetFigures.FleetRoute::merged);
    routes.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
      if (b != null) {
        vm.routeProperty().set(b.routeId());
      }
    });
    vm.routes().addListener((javafx.collections.ListChangeListener<FleetFigures.FleetRoute>) c -> {
      // The rows are new records every second: keep the user's route selected by its id.
      String wanted = vm.routeProperty().get();
      for (FleetFigures.FleetRoute r : vm.routes()) {
        if (r.routeId().equals(wanted) && routes.getSelectionModel().getSelectedItem() != r) {
          routes.getSelectionModel().select(r);
        }
      }
    });

    agents.setId("fleet-drilldown");
    agents.setItems(vm.drillDown());
    agents.setPlaceholder(new Label("Select a route to see each agent's share."));
    agents.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    TableColumn<FleetFigures.AgentSample, String> agent = new TableColumn<>("Agent");
    agent.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(
        c.getValue().agentId() + (c.getValue().live() ? "" : "  (not live)")));
    agent.setPrefWidth(220);
    agents.getColumns().add(agent);
    figureColumns(agents, FleetFigures.AgentSample::sample);
    String[] chosenAgent = {""};
    agents.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
      if (b != null) {
        chosenAgent[0] = b.agentId();
      }
    });
    vm.drillDown().addListener((javafx.collections.ListChangeListener<FleetFigures.AgentSample>) c -> {
      for (FleetFigures.AgentSample s : vm.drillDown()) {
        if (s.agentId().equals(chosenAgent[0]) && agents.getSelectionModel().getSelectedItem() != s) {
          agents.getSelectionModel().select(s);
        }
      }
    });
    Button open = new Button("Show agent");
    open.setId("fleet-show-agent");
    open.disableProperty().bind(agents.getSelectionModel().selectedItemProperty().isNull());
    open.setOnAction(e -> {
      FleetFigures.AgentSample s = agents.getSelectionModel().getSelectedItem();
      if (s != null) {
        showAgent.accept(s.agentId());
      }
    });
    agents.setOnMouseClicked(e -> {
      if (e.getClickCount() == 2) {
        open.fire();
      }
    });
    Label drillTitle = new Label("Per agent (double-click or Show agent to open its views)");
    drillTitle.getStyleClass().add("section-title");
    VBox lower = new VBox(6, new HBox(8, drillTitle, open), agents);
    VBox.setVgrow(agents, javafx.scene.layout.Priority.ALWAYS);

    SplitPane split = new SplitPane(routes, lower);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.6);
    root.setTop(new VBox(toolbar, note));
    root.setCenter(split);

    vm.refresh();
    refresh = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.refresh()));
    refresh.setCycleCount(Timeline.INDEFINITE);
    refresh.play();
  }

  public javafx.scene.Parent node() {
    return root;
  }

  public void stop() {
    refresh.stop();
  }

  private static <T> void figureColumns(TableView<T> table, Function<T, RouteSample> sample) {
    table.getColumns().add(number("RPS", t -> Figures.rate(sample.apply(t).requestsPerSecond())));
    table.getColumns().add(number("p50", t -> Figures.latency(sample.apply(t).p50Micros())));
    table.getColumns().add(number("p99", t -> Figures.latency(sample.apply(t).p99Micros())));
    table.getColumns().add(number("5xx", t -> Figures.percent(sample.apply(t).errorPercent())));
    table.getColumns().add(number("429/s", t -> {
      double r = sample.apply(t).rateLimitedPerSecond();
      return r == 0 ? "" : Figures.rate(r);
    }));
  }

  private static <T> TableColumn<T, String> number(String title, Function<T, String> text) {
    TableColumn<T, String> column = new TableColumn<>(title);
    column.setPrefWidth(80);
    column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(text.apply(c.getValue())));
    column.setCellFactory(c -> new TableCell<>() {
      {
        getStyleClass().add("number");
      }

      @Override
      protected void updateItem(@Nullable String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
      }
    });
    return column;
  }
}
