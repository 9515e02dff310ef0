package dev.sluice.console.history;

import dev.sluice.console.telemetry.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One route's traffic as steps on the agent's resolution grid, from two sources that never count
 * the same instant twice: the agent's history wins for every step that had ended when it was
 * loaded; live frames fill the steps after that (summed, percentiles from the merged histogram).
 * A live frame for a step the history already holds is dropped. UI thread only.
 */
public final class RouteTimeline {
  private final TreeMap<Long, HistoryStep> steps = new TreeMap<>();
  private long openStep = Long.MIN_VALUE;
  private LatencyHistogram openHistogram = LatencyHistogram.empty();

  /**
   * Adds a live frame's figures for the interval starting at {@code startEpochSecond}.
   *
   * @param histogram the frame's buckets; empty when the agent sent none (then the frame's own
   *     percentiles are kept)
   */
  public void addLive(long startEpochSecond, long resolutionSeconds, long requests,
      long serverErrors, long rateLimited, LatencyHistogram histogram, long p50Micros,
      long p99Micros) {
    long step = Math.floorDiv(startEpochSecond, resolutionSeconds) * resolutionSeconds;
    HistoryStep before = steps.get(step);
    if (before != null && before.fromHistory()) {
      return;
    }
    if (step != openStep) {
      openStep = step;
      openHistogram = LatencyHistogram.empty();
    }
    if (histogram.total() > 0 && (openHistogram.total() == 0 || openHistogram.mergesWith(histogram))) {
      openHistogram = openHistogram.merge(histogram);
    }
    long sumRequests = requests + (before == null ? 0 : before.requests());
    long p50 = p50Micros;
    long p99 = p99Micros;
    if (openHistogram.total() > 0) {
      p50 = openHistogram.percentileMicros(0.50);
      p99 = openHistogram.percentileMicros(0.99);
    } else if (requests == 0 && before != null) {
      p50 = before.p50Micros();
      p99 = before.p99Micros();
    }
    steps.put(step, new HistoryStep(step, sumRequests,
        serverErrors + (before == null ? 0 : before.serverErrors()),
        rateLimited + (before == null ? 0 : before.rateLimited()),
        sumRequests == 0 ? -1 : p50, sumRequests == 0 ? -1 : p99, false));
  }

  /**
   * Adds one of the agent's history steps. Steps that had not ended by {@code completeBefore}
   * (epoch second) are partial on the agent and left to live frames.
   */
  public void addHistory(HistoryStep step, long resolutionSeconds, long completeBefore) {
    if (step.startEpochSecond() + resolutionSeconds > completeBefore) {
      return;
    }
    steps.put(step.startEpochSecond(), step);
    if (step.startEpochSecond() == openStep) {
      openStep = Long.MIN_VALUE;
      openHistogram = LatencyHistogram.empty();
    }
  }

  /** Forgets steps that started before {@code epochSecond}. */
  public void dropBefore(long epochSecond) {
    steps.headMap(epochSecond).clear();
  }

  /** Steps starting in [from, to), oldest first. */
  public List<HistoryStep> between(long fromEpochSecond, long toEpochSecond) {
    if (toEpochSecond <= fromEpochSecond) {
      return List.of();
    }
    return new ArrayList<>(steps.subMap(fromEpochSecond, toEpochSecond).values());
  }

  public List<HistoryStep> all() {
    return new ArrayList<>(steps.values());
  }

  public int size() {
    return steps.size();
  }

  /** Start of the oldest step, or -1 when empty. */
  public long oldestEpochSecond() {
    Map.Entry<Long, HistoryStep> first = steps.firstEntry();
    return first == null ? -1 : first.getKey();
  }
}
