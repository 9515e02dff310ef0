package dev.sluice.agent.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges runs of ticks for the watchers of one hub tick, once per distinct run: watchers with the
 * same interval are due on the same ticks and share the result. Ticker thread only.
 */
final class MergeCache {

  private record Run(long first, long last) {}

  private final Map<Run, Map<String, RouteSample>> merged = new HashMap<>();

  Map<String, RouteSample> merged(List<TelemetryTick> ticks) {
    if (ticks.size() == 1) {
      return ticks.get(0).routes();
    }
    Run run = new Run(ticks.get(0).firstNumber(), ticks.get(ticks.size() - 1).lastNumber());
    return merged.computeIfAbsent(run, r -> mergeAll(ticks));
  }

  TelemetryTick collapse(List<TelemetryTick> ticks) {
    TelemetryTick first = ticks.get(0);
    TelemetryTick last = ticks.get(ticks.size() - 1);
    return new TelemetryTick(first.firstNumber(), last.lastNumber(), first.start(), last.end(),
        merged(ticks));
  }

  private static Map<String, RouteSample> mergeAll(List<TelemetryTick> ticks) {
    Map<String, RouteSample> all = new HashMap<>();
    for (TelemetryTick tick : ticks) {
      for (Map.Entry<String, RouteSample> entry : tick.routes().entrySet()) {
        all.merge(entry.getKey(), entry.getValue(), RouteSample::plus);
      }
    }
    return all;
  }
}
