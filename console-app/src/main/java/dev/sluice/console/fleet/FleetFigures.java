package dev.sluice.console.fleet;

import dev.sluice.console.telemetry.FleetMerge;
import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-route figures across the agents of each cluster: counts summed and percentiles read from the
 * merged histogram buckets, never from averaging the agents' percentiles, so a fleet p99 is what a
 * single gateway serving all that traffic would report. Agents that are not live are listed but
 * left out of the sums.
 */
public final class FleetFigures {
  private FleetFigures() {}

  /** One agent's share of a route. */
  public record AgentSample(String agentId, boolean live, RouteSample sample) {}

  /** A route across a cluster: the merged sample and each agent's. */
  public record FleetRoute(String routeId, RouteSample merged, List<AgentSample> agents,
      boolean comparable) {
    /** Agents that served the route in the latest interval. */
    public long agentsWithTraffic() {
      return agents.stream().filter(a -> a.live() && a.sample().requests() > 0).count();
    }
  }

  /** One cluster's agents and routes, by route id. */
  public record Cluster(String name, List<String> agents, List<String> liveAgents,
      Map<String, FleetRoute> routes) {}

  /** The clusters of {@code members}, by name; agents with no cluster yet are left out. */
  public static Map<String, Cluster> of(List<? extends FleetMember> members) {
    Map<String, List<FleetMember>> byCluster = new TreeMap<>();
    for (FleetMember m : members) {
      if (!m.cluster().isEmpty()) {
        byCluster.computeIfAbsent(m.cluster(), c -> new ArrayList<>()).add(m);
      }
    }
    Map<String, Cluster> out = new TreeMap<>();
    for (Map.Entry<String, List<FleetMember>> e : byCluster.entrySet()) {
      out.put(e.getKey(), cluster(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static Cluster cluster(String name, List<FleetMember> members) {
    Map<String, List<AgentSample>> byRoute = new TreeMap<>();
    List<String> agents = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (FleetMember m : members) {
      agents.add(m.agentId());
      if (m.live()) {
        live.add(m.agentId());
      }
      for (Map.Entry<String, RouteSample> s : m.latestSamples().entrySet()) {
        byRoute.computeIfAbsent(s.getKey(), r -> new ArrayList<>())
            .add(new AgentSample(m.agentId(), m.live(), s.getValue()));
      }
    }
    Map<String, FleetRoute> routes = new TreeMap<>();
    for (Map.Entry<String, List<AgentSample>> e : byRoute.entrySet()) {
      routes.put(e.getKey(), route(e.getKey(), e.getValue()));
    }
    return new Cluster(name, List.copyOf(agents), List.copyOf(live), routes);
  }

  static FleetRoute route(String routeId, List<AgentSample> agents) {
    List<RouteSample> counted = new ArrayList<>();
    for (AgentSample a : agents) {
      if (a.live()) {
        counted.add(a.sample());
      }
    }
    boolean comparable = true;
    for (int i = 1; i < counted.size(); i++) {
      comparable &= counted.get(0).histogram().mergesWith(counted.get(i).histogram());
    }
    // With different bucket bounds (agents of different versions) counts still add up, but no
    // honest fleet percentile exists: the histograms are left out and none is shown.
    RouteSample merged = FleetMerge.merge(routeId, comparable ? counted : counted.stream()
        .map(s -> new RouteSample(s.routeId(), s.requests(), s.serverErrors(), s.rateLimited(),
            s.intervalSeconds(), LatencyHistogram.empty(), -1, -1, s.statuses()))
        .toList());
    return new FleetRoute(routeId, merged, List.copyOf(agents), comparable);
  }
}
