package dev.sluice.console.history;

import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * One gateway's history as the charts show it: a {@link RouteTimeline} per route (the agent's
 * history loaded on attach, extended by live frames), the annotations from its events, and the
 * snapshots seen since attach (an export's "snapshot at start"). {@link #revisionProperty()}
 * moves on every change. UI thread only.
 */
public final class HistoryModel {
  /** The agent's defaults, until its AgentInfo says otherwise. */
  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(6);
  private static final int KEPT_SNAPSHOTS = 32;
  private static final Duration SNAPSHOT_SPACING = Duration.ofMinutes(5);

  private final Map<String, RouteTimeline> routes = new HashMap<>();
  private final TreeMap<Long, Annotation> annotations = new TreeMap<>();
  private final Deque<Snapshot> snapshots = new ArrayDeque<>();
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
  private final StringProperty status = new SimpleStringProperty(this, "status", "");
  private long resolutionSeconds = DEFAULT_RESOLUTION.toSeconds();
  private Duration retention = DEFAULT_RETENTION;
  private long newestEpochSecond = -1;
  private long loadedFromEpochSecond = -1;

  /** The agent's history grid and reach (from its AgentInfo); unset values keep the defaults. */
  public void configure(Duration resolution, Duration retention) {
    if (resolution.toSeconds() > 0) {
      resolutionSeconds = resolution.toSeconds();
    }
    if (!retention.isZero() && !retention.isNegative()) {
      this.retention = retention;
    }
  }

  public long resolutionSeconds() {
    return resolutionSeconds;
  }

  public Duration retention() {
    return retention;
  }

  /** Moves on every change; charts redraw on it. */
  public ReadOnlyLongProperty revisionProperty() {
    return revision.getReadOnlyProperty();
  }

  /** "loading 6 h of history…", "history since 10:04 · 12 routes · 5 markers", or a problem. */
  public StringProperty statusProperty() {
    return status;
  }

  /** The history request is under way. */
  public void loading() {
    status.set("loading " + hours(retention) + " of history…");
  }

  /** The history request failed; live frames still extend what is there. */
  public void failed(String why) {
    status.set("history not loaded: " + why);
  }

  /** Live frame: extends each route's timeline. */
  public void applyFrame(TelemetryFrame frame) {
    long[] bounds = Samples.bounds(frame);
    double interval = Samples.intervalSeconds(frame);
    Instant end = Instant.ofEpochSecond(frame.getTime().getSeconds(), frame.getTime().getNanos());
    long start = end.minusMillis((long) (interval * 1000)).getEpochSecond();
    for (RouteTelemetry r : frame.getRoutesList()) {
      LatencyHistogram histogram = r.hasHistogram() && r.getHistogram().getCountsCount() > 0
          && r.getHistogram().getCountsCount() <= bounds.length + 1
          ? LatencyHistogram.of(bounds, r.getHistogram().getCountsList().stream()
              .mapToLong(Long::longValue).toArray())
          : LatencyHistogram.empty();
      boolean traffic = r.getRequests() > 0;
      timeline(r.getRouteId()).addLive(start, resolutionSeconds, r.getRequests(),
          r.getStatuses().getServerError(), r.getRateLimited(), histogram,
          traffic ? r.getLatency().getP50Micros() : -1, traffic ? r.getLatency().getP99Micros() : -1);
    }
    newestEpochSecond = Math.max(newestEpochSecond, end.getEpochSecond());
    prune();
    changed();
  }

  /**
   * The agent's history as loaded, requested at {@code requestedAt}: steps that had ended by then
   * replace what live frames summed for them; later ones are left to live frames.
   */
  public void applyHistory(List<TelemetryHistoryChunk> chunks, Instant requestedAt) {
    long completeBefore = requestedAt.getEpochSecond();
    int points = 0;
    long oldest = Long.MAX_VALUE;
    for (TelemetryHistoryChunk chunk : chunks) {
      if (chunk.hasResolution() && chunk.getResolution().getSeconds() > 0) {
        resolutionSeconds = chunk.getResolution().getSeconds();
      }
      for (RouteHistory route : chunk.getRoutesList()) {
        RouteTimeline timeline = timeline(route.getRouteId());
        for (HistoryPoint p : route.getPointsList()) {
          HistoryStep step = step(p, resolutionSeconds);
          timeline.addHistory(step, resolutionSeconds, completeBefore);
          oldest = Math.min(oldest, step.startEpochSecond());
          points++;
        }
      }
    }
    if (oldest != Long.MAX_VALUE) {
      loadedFromEpochSecond = loadedFromEpochSecond < 0 ? oldest : Math.min(loadedFromEpochSecond, oldest);
    }
    newestEpochSecond = Math.max(newestEpochSecond, completeBefore);
    prune();
    status.set(points == 0 ? "no history on the agent yet · live from now"
        : "history loaded: " + points + " steps of " + routesWithSteps() + " routes, from "
            + Instant.ofEpochSecond(loadedFromEpochSecond));
    changed();
  }

  /** Events (listed on attach, or live): those that mark the charts become annotations. */
  public void applyEvents(List<Event> events) {
    boolean any = false;
    for (Event e : events) {
      var a = Annotations.of(e);
      if (a.isPresent()) {
        annotations.put(e.getSequence(), a.get());
        any = true;
      }
    }
    if (any) {
      prune();
      changed();
    }
  }

  /**
   * Keeps the snapshot (with its takenAt) for an export's "snapshot at start": each new config
   * version, and otherwise one every {@link #SNAPSHOT_SPACING}, so a large gateway's frequent
   * registry refreshes do not pile up copies.
   */
  public void applySnapshot(Snapshot snapshot) {
    Snapshot last = snapshots.peekLast();
    if (last != null && last.getConfigVersion() == snapshot.getConfigVersion()
        && snapshot.getTakenAt().getSeconds() - last.getTakenAt().getSeconds()
            < SNAPSHOT_SPACING.toSeconds()) {
      return;
    }
    snapshots.addLast(snapshot);
    while (snapshots.size() > KEPT_SNAPSHOTS) {
      snapshots.removeFirst();
    }
  }

  /** The newest snapshot taken at or before {@code at}; absent when the console was not attached then. */
  public @Nullable Snapshot snapshotAt(Instant at) {
    Snapshot best = null;
    for (Snapshot s : snapshots) {
      if (s.getTakenAt().getSeconds() <= at.getEpochSecond()) {
        best = s;
      }
    }
    return best;
  }

  /** The route's timeline; empty when nothing is known of it. */
  public RouteTimeline route(String routeId) {
    RouteTimeline t = routes.get(routeId);
    return t == null ? new RouteTimeline() : t;
  }

  /** Annotations in [from, to) that concern the route, oldest first. */
  public List<Annotation> annotations(String routeId, String service, Instant from, Instant to) {
    List<Annotation> out = new ArrayList<>();
    for (Annotation a : annotations.values()) {
      if (!a.time().isBefore(from) && a.time().isBefore(to) && a.concerns(routeId, service)) {
        out.add(a);
      }
    }
    return out;
  }

  public List<Annotation> allAnnotations() {
    return new ArrayList<>(annotations.values());
  }

  /** The newest second any source reached; -1 before any data. */
  public long newestEpochSecond() {
    return newestEpochSecond;
  }

  /** The oldest step start of any route; -1 when empty. */
  public long oldestEpochSecond() {
    long oldest = Long.MAX_VALUE;
    for (RouteTimeline t : routes.values()) {
      if (t.size() > 0) {
        oldest = Math.min(oldest, t.oldestEpochSecond());
      }
    }
    return oldest == Long.MAX_VALUE ? -1 : oldest;
  }

  static HistoryStep step(HistoryPoint p, long resolutionSeconds) {
    long start = Math.floorDiv(p.getStart().getSeconds(), resolutionSeconds) * resolutionSeconds;
    boolean traffic = p.getRequests() > 0;
    return new HistoryStep(start, p.getRequests(), p.getStatuses().getServerError(),
        p.getRateLimited(), traffic ? p.getLatency().getP50Micros() : -1,
        traffic ? p.getLatency().getP99Micros() : -1, true);
  }

  private RouteTimeline timeline(String routeId) {
    return routes.computeIfAbsent(routeId, id -> new RouteTimeline());
  }

  private int routesWithSteps() {
    int n = 0;
    for (RouteTimeline t : routes.values()) {
      n += t.size() > 0 ? 1 : 0;
    }
    return n;
  }

  private void prune() {
    if (newestEpochSecond < 0) {
      return;
    }
    long cut = newestEpochSecond - retention.toSeconds();
    for (RouteTimeline t : routes.values()) {
      t.dropBefore(cut);
    }
    annotations.values().removeIf(a -> a.time().getEpochSecond() < cut);
  }

  private void changed() {
    revision.set(revision.get() + 1);
  }

  private static String hours(Duration d) {
    return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
  }
}
