package dev.sluice.agent.routing;

import java.util.List;

/**
 * The outcome of {@link RouteTable.Builder#build()}: the table of every route that could be added,
 * and all conflicts at once. A caller applying configuration should use the table only when {@link
 * #ok()}, so that a bad route changes nothing.
 */
public record BuildResult<T>(RouteTable<T> table, List<RouteConflict> conflicts) {

  public BuildResult {
    conflicts = List.copyOf(conflicts);
  }

  /** True when every added route made it into the table. */
  public boolean ok() {
    return conflicts.isEmpty();
  }
}
