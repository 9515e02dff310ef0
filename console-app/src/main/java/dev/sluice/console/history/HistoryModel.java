package dev.sluice.console.history;

import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.console.telemetry.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * One gateway's history as the charts show it: every route's steps (the agent's history loaded on
 * attach, extended by live frames) kept by column in one {@link StepStore}, the annotations from
 * its events, and the snapshots seen since attach (an export's "snapshot at start").
 * {@link #revisionProperty()} moves on every change. Properties, events and snapshots are UI
 * thread only; the steps may be written from a loader thread ({@link #loadChunk}) while the UI
 * thread reads them.
 */
public final class HistoryModel {
  /** The agent's defaults, until its AgentInfo says otherwise. */
  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(6);
  private static final int KEPT_SNAPSHOTS = 32;
  private static final Duration SNAPSHOT_SPACING = Duration.ofMinutes(5);

  private final TreeMap<Long, Annotation> annotations = new TreeMap<>();
  private final Deque<Snapshot> snapshots = new ArrayDeque<>();
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
  private final StringProperty status = new SimpleStringProperty(this, "status", "");
  private volatile long resolutionSeconds = DEFAULT_RESOLUTION.toSeconds();
  private volatile Duration retention = DEFAULT_RETENTION;
  private volatile @Nullable StepStore store;
  private final AtomicLong newestEpochSecond = new AtomicLong(-1);

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

  /** Live frame: extends each route's timeline. UI thread. */
  public void applyFrame(TelemetryFrame frame) {
    recordFrame(frame);
    changed();
  }

  /**
   * Adds a live frame's figures to the steps without telling the UI; safe off the UI thread (the
   * console does it while preparing a batch), followed by {@link #framesRecorded()} on it.
   */
  public void recordFrame(TelemetryFrame frame) {
    StepStore steps = store();
    long[] bounds = Samples.bounds(frame);
    double interval = Samples.intervalSeconds(frame);
    Instant end = Instant.ofEpochSecond(frame.getTime().getSeconds(), frame.getTime().getNanos());
    long start = end.minusMillis((long) (interval * 1000)).getEpochSecond();
    long[] buckets = new long[bounds.length + 1];
    for (RouteTelemetry r : frame.getRoutesList()) {
      int count = r.hasHistogram() ? r.getHistogram().getCountsCount() : 0;
      boolean withBuckets = count > 0 && count <= buckets.length;
      if (withBuckets) {
        java.util.Arrays.fill(buckets, 0);
        for (int i = 0; i < count; i++) {
          buckets[i] = r.getHistogram().getCounts(i);
        }
      }
      boolean traffic = r.getRequests() > 0;
      steps.addLive(steps.slot(r.getRouteId()), start, r.getRequests(),
          r.getStatuses().getServerError(), r.getRateLimited(), bounds,
          withBuckets ? buckets : null,
          traffic ? r.getLatency().getP50Micros() : -1, traffic ? r.getLatency().getP99Micros() : -1);
    }
    newestEpochSecond.accumulateAndGet(end.getEpochSecond(), Math::max);
    prune(steps);
  }

  /** Tells the charts that frames were recorded off the UI thread. UI thread. */
  public void framesRecorded() {
    changed();
  }

  /**
   * The agent's history as loaded, requested at {@code requestedAt}: steps that had ended by then
   * replace what live frames summed for them; later ones are left to live frames. UI thread.
   */
  public void applyHistory(List<TelemetryHistoryChunk> chunks, Instant requestedAt) {
    Load load = new Load(requestedAt);
    for (TelemetryHistoryChunk chunk : chunks) {
      loadChunk(load, chunk);
    }
    historyLoaded(load);
  }

  /** What a history load added so far; {@link #loadChunk} fills it, {@link #historyLoaded} reports it. */
  public static final class Load {
    private final Instant requestedAt;
    private long points;
    private long oldest = Long.MAX_VALUE;

    public Load(Instant requestedAt) {
      this.requestedAt = requestedAt;
    }
  }

  /**
   * Adds one streamed chunk of the agent's history to the steps; safe off the UI thread, so a
   * loader can drop each chunk once read instead of holding hours of messages.
   */
  public void loadChunk(Load load, TelemetryHistoryChunk chunk) {
    long completeBefore = load.requestedAt.getEpochSecond();
    if (chunk.hasResolution() && chunk.getResolution().getSeconds() > 0) {
      resolutionSeconds = chunk.getResolution().getSeconds();
    }
    StepStore steps = store();
    long res = steps.resolutionSeconds();
    for (RouteHistory route : chunk.getRoutesList()) {
      int slot = steps.slot(route.getRouteId());
      for (HistoryPoint p : route.getPointsList()) {
        long start = Math.floorDiv(p.getStart().getSeconds(), res) * res;
        load.oldest = Math.min(load.oldest, start);
        load.points++;
        if (start + res > completeBefore) {
          continue;
        }
        boolean traffic = p.getRequests() > 0;
        steps.addHistory(slot, start, p.getRequests(), p.getStatuses().getServerError(),
            p.getRateLimited(), traffic ? p.getLatency().getP50Micros() : -1,
            traffic ? p.getLatency().getP99Micros() : -1);
      }
    }
    newestEpochSecond.accumulateAndGet(completeBefore, Math::max);
    prune(steps);
  }

  /** Reports a finished load in the status line and redraws. UI thread. */
  public void historyLoaded(Load load) {
    StepStore steps = store();
    long from = steps.oldestEpochSecond(null);
    status.set(load.points == 0 ? "no history on the agent yet · live from now"
        : "history loaded: " + load.points + " steps of " + steps.routesWithSteps() + " routes, from "
            + Instant.ofEpochSecond(from < 0 ? load.oldest : from));
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
      pruneAnnotations();
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
    StepStore steps = store;
    return steps == null || steps.existingSlot(routeId) == null ? RouteTimeline.empty()
        : new RouteTimeline(steps, routeId);
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
    return newestEpochSecond.get();
  }

  /** The oldest step start of any route; -1 when empty. */
  public long oldestEpochSecond() {
    StepStore steps = store;
    return steps == null ? -1 : steps.oldestEpochSecond(null);
  }

  /** The store on the current grid; a new grid or reach starts a new one. */
  private synchronized StepStore store() {
    StepStore s = store;
    long res = resolutionSeconds;
    long keep = retention.toSeconds();
    if (s == null || s.resolutionSeconds() != res || s.capacity() != StepStore.capacityFor(res, keep)) {
      s = new StepStore(res, keep);
      store = s;
    }
    return s;
  }

  private void prune(StepStore steps) {
    long newest = newestEpochSecond.get();
    if (newest >= 0) {
      steps.dropBefore(newest - retention.toSeconds());
    }
  }

  private void pruneAnnotations() {
    long newest = newestEpochSecond.get();
    if (newest >= 0) {
      long cut = newest - retention.toSeconds();
      annotations.values().removeIf(a -> a.time().getEpochSecond() < cut);
    }
  }

  private void changed() {
    pruneAnnotations();
    revision.set(revision.get() + 1);
  }

  private static String hours(Duration d) {
    return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
  }
}
