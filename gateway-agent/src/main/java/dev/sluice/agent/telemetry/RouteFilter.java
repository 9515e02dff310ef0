package dev.sluice.agent.telemetry;

import java.util.Set;

/**
 * Which routes a watcher or a history query wants: these route ids (empty: any) and path patterns
 * starting with this prefix (empty: any). Both must hold.
 */
public record RouteFilter(Set<String> routeIds, String pathPrefix) {

  public static final RouteFilter ALL = new RouteFilter(Set.of(), "");

  public RouteFilter {
    routeIds = Set.copyOf(routeIds);
  }

  public boolean matches(String routeId, String pathPattern) {
    return (routeIds.isEmpty() || routeIds.contains(routeId)) && pathPattern.startsWith(pathPrefix);
  }
}
