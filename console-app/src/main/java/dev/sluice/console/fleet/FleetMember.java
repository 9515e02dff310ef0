package dev.sluice.console.fleet;

import dev.sluice.console.telemetry.RouteSample;
import java.util.Map;

/**
 * One attached agent as the fleet view reads it: who it is, which cluster it reports, and its
 * latest interval per route. Read on the UI thread.
 */
public interface FleetMember {
  String agentId();

  /** Agents reporting the same cluster form one fleet; empty before the agent answered. */
  String cluster();

  /** True while the connection is live; a stale agent's figures are left out of the sums. */
  boolean live();

  /** The latest interval's sample per route id. */
  Map<String, RouteSample> latestSamples();
}
