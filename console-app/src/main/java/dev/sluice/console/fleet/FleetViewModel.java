package dev.sluice.console.fleet;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The fleet view's state: the clusters among the attached agents, the chosen cluster's routes with
 * fleet-wide figures, and the chosen route's per-agent drill-down. Works with any number of
 * gateways: it reads them through the supplier on each {@link #refresh()}. UI thread only.
 */
public final class FleetViewModel {
  private final Supplier<List<? extends FleetMember>> members;
  private final ObservableList<String> clusters = FXCollections.observableArrayList();
  private final StringProperty cluster = new SimpleStringProperty(this, "cluster", "");
  private final ReadOnlyStringWrapper agents = new ReadOnlyStringWrapper(this, "agents", "");
  private final ObservableList<FleetFigures.FleetRoute> routes = FXCollections.observableArrayList();
  private final StringProperty route = new SimpleStringProperty(this, "route", "");
  private final ObservableList<FleetFigures.AgentSample> drillDown =
      FXCollections.observableArrayList();
  private Map<String, FleetFigures.Cluster> figures = Map.of();

  /** @param members the attached gateways, read afresh on every refresh */
  public FleetViewModel(Supplier<List<? extends FleetMember>> members) {
    this.members = members;
    cluster.addListener((o, a, b) -> show());
    route.addListener((o, a, b) -> showRoute());
  }

  /** Recomputes every figure from the members' latest frames; keeps the chosen cluster and route. */
  public void refresh() {
    figures = FleetFigures.of(members.get());
    if (!clusters.equals(List.copyOf(figures.keySet()))) {
      clusters.setAll(figures.keySet());
    }
    if (!figures.containsKey(cluster.get())) {
      cluster.set(clusters.isEmpty() ? "" : clusters.get(0));
    }
    show();
  }

  private void show() {
    FleetFigures.@Nullable Cluster c = figures.get(cluster.get());
    if (c == null) {
      agents.set("No agent has reported a cluster yet.");
      routes.clear();
      drillDown.clear();
      return;
    }
    int stale = c.agents().size() - c.liveAgents().size();
    agents.set(c.agents().size() + (c.agents().size() == 1 ? " agent: " : " agents: ")
        + String.join(", ", c.agents())
        + (stale == 0 ? "" : " · " + stale + " not live, left out of the figures"));
    routes.setAll(c.routes().values());
    showRoute();
  }

  private void showRoute() {
    FleetFigures.@Nullable Cluster c = figures.get(cluster.get());
    FleetFigures.@Nullable FleetRoute r = c == null ? null : c.routes().get(route.get());
    if (r == null) {
      drillDown.clear();
    } else {
      drillDown.setAll(r.agents());
    }
  }

  public ObservableList<String> clusters() {
    return clusters;
  }

  /** The cluster shown. */
  public StringProperty clusterProperty() {
    return cluster;
  }

  /** The shown cluster's agents in words. */
  public ReadOnlyStringProperty agentsProperty() {
    return agents.getReadOnlyProperty();
  }

  public ObservableList<FleetFigures.FleetRoute> routes() {
    return routes;
  }

  /** The route id whose per-agent figures {@link #drillDown()} shows. */
  public StringProperty routeProperty() {
    return route;
  }

  public ObservableList<FleetFigures.AgentSample> drillDown() {
    return drillDown;
  }
}
