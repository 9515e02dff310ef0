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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * {@link #reorder()} (a calm cadence, or the user's request), so a sorted table never jitters.
 * UI thread only.
 */
public final class RoutesViewModel {
  /** How many of the busiest routes are marked hot. */
  static final int HOT_ROUTES = 3;

  /** The columns the tree can be sorted by. */
  public enum Column { PATH, RPS, P50, P99, ERRORS, RATE_LIMITED, BREAKER, LIMIT }

  private RouteRow root = new RouteRow("", "/");
  private final Map<String, RouteRow> byKey = new HashMap<>();
  private final Map<String, RouteRow> byRouteId = new HashMap<>();
  private final ReadOnlyIntegerWrapper layout = new ReadOnlyIntegerWrapper(this, "layout");
  private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
  private final DoubleProperty minimumRps = new SimpleDoubleProperty(this, "minimumRps", 0);
  private Comparator<RouteRow> order = RouteTree.NATURAL;
  private String structure = "";
  private Map<String, BreakerBadge> badges = Map.of();

  public RoutesViewModel() {
    filter.addListener((o, a, b) -> layout.set(layout.get() + 1));
    minimumRps.addListener((o, a, b) -> layout.set(layout.get() + 1));
  }

  /** The invisible root; its visible children are the top-level segments. */
  public RouteRow root() {
    return root;
  }

  /** Changes whenever rows were added, removed, re-ordered or re-filtered: time to re-sync the tree. */
  public ReadOnlyIntegerProperty layoutProperty() {
    return layout.getReadOnlyProperty();
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
      RouteTree.sort(root, order);
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
    long[] bounds = Samples.bounds(frame);
    double interval = Samples.intervalSeconds(frame);
    Instant at = Instant.ofEpochSecond(frame.getTime().getSeconds(), frame.getTime().getNanos());
    Map<String, RouteSample> samples = new HashMap<>();
    for (RouteTelemetry route : frame.getRoutesList()) {
      samples.put(route.getRouteId(), Samples.of(bounds, interval, route));
    }
    aggregate(root, samples, interval, at);
    markHot();
    applyBreakers(frame.getBreakersList());
  }

  /** Sorts siblings by {@code column} and re-orders now (the user clicked a column header). */
  public void sortBy(@Nullable Column column, boolean ascending) {
    order = column == null ? RouteTree.NATURAL : comparator(column, ascending);
    reorder();
  }

  /** Applies the current sort to the current values and re-evaluates the filter. */
  public void reorder() {
    RouteTree.sort(root, order);
    layout.set(layout.get() + 1);
  }

  /** The children of {@code parent} that pass the filter, in the order of the last reorder. */
  public List<RouteRow> visibleChildren(RouteRow parent) {
    String text = filter.get().trim().toLowerCase(Locale.ROOT);
    boolean parentMatches = !text.isEmpty() && matches(parent, text);
    List<RouteRow> out = new ArrayList<>();
    for (RouteRow child : parent.children) {
      if (visible(child, text, parentMatches)) {
        out.add(child);
      }
    }
    return out;
  }

  private boolean visible(RouteRow row, String text, boolean ancestorMatches) {
    boolean matches = ancestorMatches || text.isEmpty() || matches(row, text);
    if (row.route() != null && matches
        && row.requestsPerSecondProperty().get() >= minimumRps.get()) {
      return true;
    }
    for (RouteRow child : row.children) {
      if (visible(child, text, matches)) {
        return true;
      }
    }
    return false;
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

  private RouteSample aggregate(
      RouteRow node, Map<String, RouteSample> samples, double interval, Instant at) {
    List<RouteSample> parts = new ArrayList<>(node.children.size());
    for (RouteRow child : node.children) {
      parts.add(aggregate(child, samples, interval, at));
    }
    Route route = node.route();
    RouteSample own;
    if (route != null) {
      own = samples.getOrDefault(route.getId(), RouteSample.idle(route.getId(), interval));
    } else {
      own = FleetMerge.merge(node.path(), parts);
    }
    RouteRow only = node.children.size() == 1 ? node.children.get(0) : null;
    if (route == null && only != null && (only.route() == null || only.children.isEmpty())) {
      node.showSameAs(own, at, only);
    } else {
      node.show(own, at);
    }
    if (route == null) {
      return own;
    }
    parts.add(own);
    return FleetMerge.merge(node.path(), parts);
  }

  /** Marks the {@value #HOT_ROUTES} busiest routes with traffic: one pass, no sort of every route. */
  private void markHot() {
    RouteRow[] top = new RouteRow[HOT_ROUTES];
    for (RouteRow row : byRouteId.values()) {
      double rps = row.requestsPerSecondProperty().get();
      if (rps <= 0) {
        continue;
      }
      for (int i = 0; i < HOT_ROUTES; i++) {
        if (top[i] == null || rps > top[i].requestsPerSecondProperty().get()) {
          System.arraycopy(top, i, top, i + 1, HOT_ROUTES - i - 1);
          top[i] = row;
          break;
        }
      }
    }
    java.util.Set<RouteRow> hot = new java.util.HashSet<>(java.util.Arrays.asList(top));
    for (RouteRow row : byRouteId.values()) {
      row.hotProperty().set(hot.contains(row));
    }
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
    badges = next;
    for (RouteRow row : byRouteId.values()) {
      Route route = row.route();
      if (route != null) {
        row.breakerProperty().set(badges.getOrDefault(route.getService(), BreakerBadge.NONE));
      }
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

  static Comparator<RouteRow> comparator(Column column, boolean ascending) {
    Comparator<RouteRow> c = switch (column) {
      case PATH -> RouteTree.NATURAL;
      case RPS -> Comparator.comparingDouble(r -> r.requestsPerSecondProperty().get());
      case P50 -> Comparator.comparingLong(r -> r.p50MicrosProperty().get());
      case P99 -> Comparator.comparingLong(r -> r.p99MicrosProperty().get());
      case ERRORS -> Comparator.comparingDouble(r -> r.errorPercentProperty().get());
      case RATE_LIMITED -> Comparator.comparingDouble(r -> r.rateLimitedPerSecondProperty().get());
      case BREAKER -> Comparator.comparing(r -> r.breakerProperty().get().text());
      case LIMIT -> Comparator.comparing(r -> r.limitProperty().get());
    };
    return ascending ? c : c.reversed();
  }
}
