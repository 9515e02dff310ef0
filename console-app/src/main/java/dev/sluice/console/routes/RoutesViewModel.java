package dev.sluice.console.routes;

import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.console.breakers.BreakerBadge;
import dev.sluice.console.telemetry.FleetMerge;
import dev.sluice.console.telemetry.RouteSample;
import dev.sluice.console.telemetry.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * The route tree's state: rows built from the snapshot, live figures from telemetry frames, and the
 * user's filter and sort. Values update on every frame, but rows change order or visibility only on
 * a re-order (a calm cadence, or the user's request), so a sorted table never jitters.
 *
 * <p>A frame is worked out by {@link #prepare} (decoding, merging every segment's histograms,
 * history and last-minute figures), which may run off the UI thread, and shown by
 * {@link #publish}, which only hands each row its ready figures. A calm re-order is likewise worked
 * out on a background thread ({@link #reorderInBackground}) and applied with the next frame, as the
 * list of sibling groups that changed. Everything else is UI thread only.
 */
public final class RoutesViewModel {
  /** How many of the busiest routes are marked hot. */
  static final int HOT_ROUTES = 3;

  /** The columns the tree can be sorted by. */
  public enum Column { PATH, RPS, P50, P99, ERRORS, RATE_LIMITED, BREAKER, LIMIT }

  private static final Executor LAYOUT_WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sluice-routes-layout");
    t.setDaemon(true);
    return t;
  });

  private RouteRow root = new RouteRow("", "/");
  private final Map<String, RouteRow> byKey = new HashMap<>();
  private final Map<String, RouteRow> byRouteId = new HashMap<>();
  private final ReadOnlyIntegerWrapper layout = new ReadOnlyIntegerWrapper(this, "layout");
  private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
  private final DoubleProperty minimumRps = new SimpleDoubleProperty(this, "minimumRps", 0);
  private final RollingRing ring = new RollingRing(RouteHistory.CAPACITY, RollingRing.PAGE);
  private final Object preparing = new Object();
  private final AtomicReference<@Nullable Layout> pending = new AtomicReference<>();
  private volatile Plan plan;
  private volatile RouteSample @Nullable [] latest;
  private Layout shown;
  private @Nullable Set<RouteRow> changedParents;
  private RouteRow[] hot = new RouteRow[0];
  private @Nullable Column sortColumn;
  private boolean ascending = true;
  private String structure = "";
  private Map<String, BreakerBadge> badges = Map.of();

  public RoutesViewModel() {
    plan = Plan.of(root, ring);
    shown = Layout.natural(plan);
    filter.addListener((o, a, b) -> reorder());
    minimumRps.addListener((o, a, b) -> reorder());
  }

  /** The invisible root; its visible children are the top-level segments. */
  public RouteRow root() {
    return root;
  }

  /** Changes whenever rows were added, removed, re-ordered or re-filtered: time to re-sync the tree. */
  public ReadOnlyIntegerProperty layoutProperty() {
    return layout.getReadOnlyProperty();
  }

  /**
   * The rows whose shown children changed with the last layout change, or null when the whole tree
   * must be re-synced (a new tree, or the first layout).
   */
  public @Nullable Set<RouteRow> changedParents() {
    return changedParents;
  }

  public StringProperty filterProperty() {
    return filter;
  }

  public DoubleProperty minimumRpsProperty() {
    return minimumRps;
  }

  public Optional<RouteRow> row(String routeId) {
    return Optional.ofNullable(byRouteId.get(routeId));
  }

  public int routeCount() {
    return byRouteId.size();
  }

  /** Each route's latest interval, by route id (what the fleet view merges across agents). */
  public Map<String, RouteSample> latestSamples() {
    Map<String, RouteSample> out = new HashMap<>();
    for (Map.Entry<String, RouteRow> e : byRouteId.entrySet()) {
      out.put(e.getKey(), e.getValue().sample());
    }
    return out;
  }

  /** Routes whose traffic goes to {@code service}. */
  public List<RouteRow> routesOf(String service) {
    List<RouteRow> out = new ArrayList<>();
    for (RouteRow row : byRouteId.values()) {
      Route route = row.route();
      if (route != null && route.getService().equals(service)) {
        out.add(row);
      }
    }
    return out;
  }

  /** Rebuilds the tree when routes changed, and refreshes limits and breaker badges. */
  public void applySnapshot(Snapshot snapshot) {
    String next = structureOf(snapshot.getRoutesList());
    if (!next.equals(structure)) {
      structure = next;
      root = RouteTree.build(snapshot.getRoutesList(), byKey);
      byKey.clear();
      byRouteId.clear();
      byKey.put(RouteTree.key(root), root);
      for (RouteRow row : RouteTree.flatten(root)) {
        byKey.put(RouteTree.key(row), row);
        Route route = row.route();
        if (route != null) {
          byRouteId.put(route.getId(), row);
        }
      }
      plan = Plan.of(root, ring);
      latest = null;
      hot = new RouteRow[0];
      pending.set(null);
      shown = inputs().layout();
      changedParents = null;
      layout.set(layout.get() + 1);
    } else {
      for (Route route : snapshot.getRoutesList()) {
        RouteRow row = byRouteId.get(route.getId());
        if (row != null) {
          row.setRoute(route);
        }
      }
    }
    for (RouteRow row : byRouteId.values()) {
      Route route = row.route();
      row.limitProperty().set(route == null ? "" : limitText(route));
    }
    applyBreakers(snapshot.getBreakersList());
  }

  /** Shows one interval's figures; rows keep their order and visibility until the next reorder. */
  public void applyFrame(TelemetryFrame frame) {
    publish(prepare(frame));
  }

  /**
   * Works out a frame against the current tree: every row's figures, segments merged from their
   * subtree's histograms, the hot routes, and each row's history and last minute. Safe off the UI
   * thread; the result is shown by {@link #publish}.
   */
  public PreparedFrame prepare(TelemetryFrame frame) {
    synchronized (preparing) {
      Plan p = plan;
      int n = p.nodes.length;
      long[] bounds = Samples.bounds(frame);
      double interval = Samples.intervalSeconds(frame);
      Instant at = Instant.ofEpochSecond(frame.getTime().getSeconds(), frame.getTime().getNanos());
      RouteSample[] own = new RouteSample[n];
      for (RouteTelemetry route : frame.getRoutesList()) {
        Integer i = p.byRouteId.get(route.getRouteId());
        if (i != null) {
          own[i] = Samples.of(bounds, interval, route);
        }
      }
      RouteSample[] figures = new RouteSample[n];
      RouteSample[] subtree = new RouteSample[n];
      List<RouteSample> parts = new ArrayList<>();
      for (int i : p.postOrder) {
        RouteRow node = p.nodes[i];
        parts.clear();
        for (int c : p.children[i]) {
          parts.add(subtree[c]);
        }
        String routeId = p.routeIds[i];
        if (routeId == null) {
          figures[i] = FleetMerge.merge(node.path(), parts);
          subtree[i] = figures[i];
        } else {
          RouteSample mine = own[i] != null ? own[i] : RouteSample.idle(routeId, interval);
          figures[i] = mine;
          if (parts.isEmpty()) {
            subtree[i] = mine;
          } else {
            parts.add(mine);
            subtree[i] = FleetMerge.merge(node.path(), parts);
          }
        }
        node.record(figures[i], at);
      }
      return new PreparedFrame(p, figures, hottest(p, figures), at.getEpochSecond(),
          frame.getBreakersList());
    }
  }

  /**
   * Shows a prepared frame (UI thread): each row takes its ready figures, and a re-order worked out
   * in the background since the last frame is applied. A frame prepared against a tree that has
   * since been rebuilt is dropped; the next one shows.
   */
  public void publish(PreparedFrame frame) {
    Plan p = plan;
    if (frame.plan != p) {
      return;
    }
    for (int i = 0; i < p.nodes.length; i++) {
      p.nodes[i].show(frame.figures[i], frame.epochSecond);
    }
    latest = frame.figures;
    markHot(frame.hot);
    applyBreakers(frame.breakers);
    Layout next = pending.getAndSet(null);
    if (next != null) {
      show(next);
    }
  }

  /** Sorts siblings by {@code column} and re-orders now (the user clicked a column header). */
  public void sortBy(@Nullable Column column, boolean ascending) {
    this.sortColumn = column == null || column == Column.PATH && ascending ? null : column;
    this.ascending = column == null || ascending;
    reorder();
  }

  /** Applies the current sort to the current values and re-evaluates the filter, now. */
  public void reorder() {
    pending.set(null);
    show(inputs().layout());
  }

  /**
   * Works out a re-order on a background thread from the figures shown now; it is applied with
   * the next published frame (or the next call), unless the tree, sort or filter changed meanwhile.
   */
  public void reorderInBackground() {
    Layout ready = pending.getAndSet(null);
    if (ready != null) {
      show(ready);
    }
    Inputs in = inputs();
    CompletableFuture.runAsync(() -> pending.set(in.layout()), LAYOUT_WORKER);
  }

  /** The children of {@code parent} that pass the filter, in the order of the last reorder. */
  public List<RouteRow> visibleChildren(RouteRow parent) {
    return shown.visible.getOrDefault(parent, List.of());
  }

  private Inputs inputs() {
    Plan p = plan;
    String[] text = null;
    if (sortColumn == Column.BREAKER || sortColumn == Column.LIMIT) {
      text = new String[p.nodes.length];
      for (int i = 0; i < text.length; i++) {
        RouteRow row = p.nodes[i];
        text[i] = sortColumn == Column.BREAKER ? row.breakerProperty().get().text()
            : row.limitProperty().get();
      }
    }
    return new Inputs(p, shown.plan == p ? shown : Layout.natural(p), latest, sortColumn,
        ascending, filter.get().trim().toLowerCase(Locale.ROOT), minimumRps.get(), text);
  }

  private void show(Layout next) {
    if (next.plan != plan || !next.matches(sortColumn, ascending, filter.get(), minimumRps.get())) {
      return;
    }
    Set<RouteRow> changed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<RouteRow, List<RouteRow>> e : next.visible.entrySet()) {
      if (!e.getValue().equals(shown.visible.get(e.getKey()))) {
        changed.add(e.getKey());
      }
    }
    for (RouteRow parent : shown.visible.keySet()) {
      if (!next.visible.containsKey(parent)) {
        changed.add(parent);
      }
    }
    boolean full = shown.plan != next.plan;
    shown = next;
    changedParents = full ? null : changed;
    if (full || !changed.isEmpty()) {
      layout.set(layout.get() + 1);
    }
  }

  /** The {@value #HOT_ROUTES} busiest routes with traffic: one pass, no sort of every route. */
  private static int[] hottest(Plan p, RouteSample[] figures) {
    int[] top = new int[HOT_ROUTES];
    java.util.Arrays.fill(top, -1);
    for (int i = 0; i < figures.length; i++) {
      if (p.routeIds[i] == null) {
        continue;
      }
      double rps = figures[i].requestsPerSecond();
      if (rps <= 0) {
        continue;
      }
      for (int k = 0; k < HOT_ROUTES; k++) {
        if (top[k] < 0 || rps > figures[top[k]].requestsPerSecond()) {
          System.arraycopy(top, k, top, k + 1, HOT_ROUTES - k - 1);
          top[k] = i;
          break;
        }
      }
    }
    return top;
  }

  private void markHot(int[] top) {
    RouteRow[] next = new RouteRow[HOT_ROUTES];
    int n = 0;
    for (int i : top) {
      if (i >= 0) {
        next[n++] = plan.nodes[i];
      }
    }
    RouteRow[] now = java.util.Arrays.copyOf(next, n);
    for (RouteRow row : hot) {
      if (!contains(now, row)) {
        row.hotProperty().set(false);
      }
    }
    for (RouteRow row : now) {
      row.hotProperty().set(true);
    }
    hot = now;
  }

  private static boolean contains(RouteRow[] rows, RouteRow row) {
    for (RouteRow r : rows) {
      if (r == row) {
        return true;
      }
    }
    return false;
  }

  private void applyBreakers(List<Breaker> breakers) {
    if (breakers.isEmpty()) {
      return;
    }
    Map<String, BreakerBadge> next = new HashMap<>();
    for (Breaker b : breakers) {
      boolean overridden = b.getOverride() == BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN
          || b.getOverride() == BreakerOverride.BREAKER_OVERRIDE_FORCED_CLOSED;
      next.put(b.getService(), new BreakerBadge(b.getComputedState(), b.getOverride(),
          overridden && b.hasOverrideInfo() ? dev.sluice.console.safety.Countdown.text(
              dev.sluice.console.safety.Countdown.expiresAt(b.getOverrideInfo()), Instant.now())
              : ""));
    }
    if (next.equals(badges)) {
      return;
    }
    badges = next;
    for (RouteRow row : byRouteId.values()) {
      Route route = row.route();
      if (route != null) {
        row.breakerProperty().set(badges.getOrDefault(route.getService(), BreakerBadge.NONE));
      }
    }
  }

  /** A frame worked out by {@link #prepare}, ready for {@link #publish}. */
  public static final class PreparedFrame {
    private final Plan plan;
    private final RouteSample[] figures;
    private final int[] hot;
    private final long epochSecond;
    private final List<Breaker> breakers;

    private PreparedFrame(Plan plan, RouteSample[] figures, int[] hot, long epochSecond,
        List<Breaker> breakers) {
      this.plan = plan;
      this.figures = figures;
      this.hot = hot;
      this.epochSecond = epochSecond;
      this.breakers = breakers;
    }
  }

  /**
   * The tree as flat arrays, made once per structure on the UI thread and never changed, so frames
   * and re-orders can be worked out on other threads while the UI thread rebuilds the tree.
   */
  static final class Plan {
    final RouteRow[] nodes;
    final int[][] children;
    final int[] parent;
    final int[] postOrder;
    final @Nullable String[] routeIds;
    final Map<String, Integer> byRouteId;

    private Plan(RouteRow[] nodes, int[][] children, int[] parent, int[] postOrder,
        @Nullable String[] routeIds, Map<String, Integer> byRouteId) {
      this.nodes = nodes;
      this.children = children;
      this.parent = parent;
      this.postOrder = postOrder;
      this.routeIds = routeIds;
      this.byRouteId = byRouteId;
    }

    static Plan of(RouteRow root, RollingRing ring) {
      List<RouteRow> all = new ArrayList<>();
      all.add(root);
      all.addAll(RouteTree.flatten(root));
      RouteRow[] nodes = all.toArray(new RouteRow[0]);
      for (int i = 0; i < nodes.length; i++) {
        nodes[i].index = i;
      }
      int[][] children = new int[nodes.length][];
      int[] parent = new int[nodes.length];
      parent[0] = -1;
      @Nullable String[] routeIds = new String[nodes.length];
      Map<String, Integer> byRouteId = new HashMap<>();
      for (int i = 0; i < nodes.length; i++) {
        RouteRow node = nodes[i];
        children[i] = new int[node.children.size()];
        for (int c = 0; c < children[i].length; c++) {
          int child = node.children.get(c).index;
          children[i][c] = child;
          parent[child] = i;
        }
        Route route = node.route();
        routeIds[i] = route == null ? null : route.getId();
        if (route != null) {
          byRouteId.put(route.getId(), i);
        }
        RouteRow only = node.children.size() == 1 ? node.children.get(0) : null;
        boolean sharesChild =
            route == null && only != null && (only.route() == null || only.children.isEmpty());
        node.keepHistory(ring, sharesChild ? only : null);
      }
      int[] postOrder = new int[nodes.length];
      int[] next = {0};
      post(0, children, postOrder, next);
      return new Plan(nodes, children, parent, postOrder, routeIds, byRouteId);
    }

    private static void post(int node, int[][] children, int[] out, int[] next) {
      for (int c : children[node]) {
        post(c, children, out, next);
      }
      out[next[0]++] = node;
    }
  }

  /** What a re-order is worked out from, captured on the UI thread. */
  private record Inputs(Plan plan, Layout before, RouteSample @Nullable [] figures,
      @Nullable Column column, boolean ascending, String text, double minimumRps,
      @Nullable String[] sortText) {

    /** Sorts every sibling group (stable, from the order shown before) and applies the filter. */
    Layout layout() {
      int n = plan.nodes.length;
      Comparator<RouteRow> order = comparator();
      boolean[] matchedAbove = new boolean[n];
      boolean[] visible = new boolean[n];
      for (int k = n - 1; k >= 0; k--) {
        int i = plan.postOrder[k];
        int up = plan.parent[i];
        matchedAbove[i] = up >= 0 && !text.isEmpty()
            && (matchedAbove[up] || matches(plan.nodes[up], text));
      }
      for (int i : plan.postOrder) {
        RouteRow row = plan.nodes[i];
        boolean matches = text.isEmpty() || matchedAbove[i] || matches(row, text);
        boolean shows = plan.routeIds[i] != null && matches && rps(i) >= minimumRps;
        for (int c : plan.children[i]) {
          shows |= visible[c];
        }
        visible[i] = shows;
      }
      Map<RouteRow, List<RouteRow>> sorted = new IdentityHashMap<>();
      Map<RouteRow, List<RouteRow>> shown = new IdentityHashMap<>();
      for (int i = 0; i < n; i++) {
        if (plan.children[i].length == 0) {
          continue;
        }
        RouteRow row = plan.nodes[i];
        List<RouteRow> siblings = before.sorted.get(row);
        if (siblings == null) {
          siblings = new ArrayList<>(plan.children[i].length);
          for (int c : plan.children[i]) {
            siblings.add(plan.nodes[c]);
          }
        } else {
          siblings = new ArrayList<>(siblings);
        }
        siblings.sort(order);
        sorted.put(row, siblings);
        if (visible[i] || i == 0) {
          List<RouteRow> out = new ArrayList<>();
          for (RouteRow child : siblings) {
            if (visible[child.index]) {
              out.add(child);
            }
          }
          if (!out.isEmpty()) {
            shown.put(row, out);
          }
        }
      }
      return new Layout(plan, sorted, shown, column, ascending, text, minimumRps);
    }

    private double rps(int i) {
      RouteSample[] f = figures;
      return f == null ? 0 : f[i].requestsPerSecond();
    }

    private Comparator<RouteRow> comparator() {
      if (column == null) {
        return RouteTree.NATURAL;
      }
      RouteSample[] f = figures;
      @Nullable String[] words = sortText;
      Comparator<RouteRow> c = switch (column) {
        case PATH -> RouteTree.NATURAL;
        case RPS -> Comparator.comparingDouble(r -> f == null ? 0 : f[r.index].requestsPerSecond());
        case P50 -> Comparator.comparingLong(r -> f == null ? -1 : f[r.index].p50Micros());
        case P99 -> Comparator.comparingLong(r -> f == null ? -1 : f[r.index].p99Micros());
        case ERRORS -> Comparator.comparingDouble(r -> f == null ? 0 : f[r.index].errorPercent());
        case RATE_LIMITED ->
            Comparator.comparingDouble(r -> f == null ? 0 : f[r.index].rateLimitedPerSecond());
        case BREAKER, LIMIT -> Comparator.comparing(
            r -> words == null || words[r.index] == null ? "" : words[r.index]);
      };
      return ascending ? c : c.reversed();
    }

    private static boolean matches(RouteRow row, String text) {
      if (row.path().toLowerCase(Locale.ROOT).contains(text)) {
        return true;
      }
      Route route = row.route();
      return route != null
          && (route.getId().toLowerCase(Locale.ROOT).contains(text)
              || route.getService().toLowerCase(Locale.ROOT).contains(text));
    }
  }

  /** One re-order's outcome: every sibling group sorted, and the children each shown row shows. */
  private static final class Layout {
    final Plan plan;
    final Map<RouteRow, List<RouteRow>> sorted;
    final Map<RouteRow, List<RouteRow>> visible;
    final @Nullable Column column;
    final boolean ascending;
    final String text;
    final double minimumRps;

    Layout(Plan plan, Map<RouteRow, List<RouteRow>> sorted, Map<RouteRow, List<RouteRow>> visible,
        @Nullable Column column, boolean ascending, String text, double minimumRps) {
      this.plan = plan;
      this.sorted = sorted;
      this.visible = visible;
      this.column = column;
      this.ascending = ascending;
      this.text = text;
      this.minimumRps = minimumRps;
    }

    /** Before any re-order: nothing shown yet, siblings in router priority. */
    static Layout natural(Plan plan) {
      return new Layout(plan, Map.of(), Map.of(), null, true, "", 0);
    }

    boolean matches(@Nullable Column c, boolean asc, String filterText, double min) {
      return c == column && asc == ascending
          && text.equals(filterText.trim().toLowerCase(Locale.ROOT)) && min == minimumRps;
    }
  }

  static String limitText(Route route) {
    if (!route.getRateLimit().hasEffective()) {
      return "";
    }
    RateLimit limit = route.getRateLimit().getEffective();
    String text = String.format(Locale.ROOT, "%s/s, burst %d",
        dev.sluice.console.telemetry.Figures.limitRate(limit.getRequestsPerSecond()),
        limit.getBurst());
    return route.getRateLimit().hasOverride() ? text + " (override)" : text;
  }

  private static String structureOf(List<Route> routes) {
    StringBuilder b = new StringBuilder();
    for (Route r : routes) {
      b.append(r.getId()).append(' ').append(r.getMatch().getPath()).append(' ')
          .append(r.getMatch().getMethodsList()).append('\n');
    }
    return b.toString();
  }
}
