package dev.sluice.console.routes;

import dev.sluice.admin.v1.Route;
import dev.sluice.console.breakers.BreakerBadge;
import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * One node of the route tree: a path segment ({@code /api}, {@code /users/:id}) that may carry a
 * route, with live figures as properties. A node without a route shows its subtree's totals, with
 * percentiles from the subtree's merged histogram. Properties change only on the UI thread.
 */
public final class RouteRow {
  private final String segment;
  private final String path;
  private @Nullable Route route;
  final List<RouteRow> children = new ArrayList<>();

  private final DoubleProperty requestsPerSecond = new SimpleDoubleProperty(this, "rps", 0);
  private final LongProperty p50Micros = new SimpleLongProperty(this, "p50", -1);
  private final LongProperty p99Micros = new SimpleLongProperty(this, "p99", -1);
  private final DoubleProperty errorPercent = new SimpleDoubleProperty(this, "errorPercent", 0);
  private final DoubleProperty rateLimitedPerSecond =
      new SimpleDoubleProperty(this, "rateLimited", 0);
  private final ObjectProperty<BreakerBadge> breaker =
      new SimpleObjectProperty<>(this, "breaker", BreakerBadge.NONE);
  private final StringProperty limit = new SimpleStringProperty(this, "limit", "");
  private final BooleanProperty hot = new SimpleBooleanProperty(this, "hot", false);
  private volatile RouteSample sample;
  /** Its own column of the tree's ring; null while it shows its one child's ({@link #sameAs}). */
  private @Nullable RouteHistory history;
  private @Nullable MinuteWindow minute;
  private volatile @Nullable RouteRow sameAs;
  private volatile long lastEpochSecond;
  /** Position in the view model's current plan (set on the UI thread when the plan is made). */
  int index;

  RouteRow(String segment, String path) {
    this.segment = segment;
    this.path = path;
    this.sample = RouteSample.idle(path, 1);
  }

  /** The segment this node adds to its parent's path, e.g. "/users". */
  public String segment() {
    return segment;
  }

  /** The full path pattern up to this node, e.g. "/api/v1/users/:id". */
  public String path() {
    return path;
  }

  public @Nullable Route route() {
    return route;
  }

  void setRoute(@Nullable Route route) {
    this.route = route;
  }

  /** Route id, methods and target service, e.g. "users-get · GET → users"; empty for a pure segment. */
  public String routeSummary() {
    Route r = route;
    if (r == null) {
      return "";
    }
    String methods = r.getMatch().getMethodsCount() == 0 ? "ANY"
        : String.join(",", r.getMatch().getMethodsList());
    return r.getId() + " · " + methods + " → " + r.getService();
  }

  /** Children in router priority (the tree as built); the shown order is the view model's. */
  public List<RouteRow> children() {
    return java.util.Collections.unmodifiableList(children);
  }

  /** The latest interval's figures (for a pure segment: its subtree's merged figures). */
  public RouteSample sample() {
    return sample;
  }

  public LatencyHistogram lastHistogram() {
    return sample.histogram();
  }

  public synchronized RouteHistory history() {
    RouteRow same = sameAs;
    if (same != null) {
      return same.history();
    }
    RouteHistory h = history;
    if (h == null) {
      h = new RouteHistory();
      history = h;
    }
    return h;
  }

  /**
   * Keeps its own figures in a column of {@code ring} (a node with several children, or a route),
   * or shows {@code child}'s, which are exactly its own (a path segment with that one child), so
   * no second copy is kept. Called when the tree's plan is made, before frames are prepared.
   */
  synchronized void keepHistory(RollingRing ring, @Nullable RouteRow child) {
    sameAs = child;
    if (child != null) {
      history = null;
      minute = null;
    } else if (history == null || !history.in(ring)) {
      history = new RouteHistory(ring);
    }
  }

  /** Adds the frame's point and minute figures; may run off the UI thread. */
  void record(RouteSample next, java.time.Instant at) {
    if (sameAs != null) {
      return;
    }
    history().add(at, next.p50Micros(), next.p99Micros(), next.requestsPerSecond());
    minute().add(at.getEpochSecond(), next);
  }

  /** Shows a prepared frame's figures; UI thread. Unchanged values fire nothing. */
  void show(RouteSample next, long epochSecond) {
    figures(next);
    lastEpochSecond = epochSecond;
  }

  private void figures(RouteSample next) {
    sample = next;
    requestsPerSecond.set(next.requestsPerSecond());
    p50Micros.set(next.p50Micros());
    p99Micros.set(next.p99Micros());
    errorPercent.set(next.errorPercent());
    rateLimitedPerSecond.set(next.rateLimitedPerSecond());
  }

  private synchronized MinuteWindow minute() {
    RouteRow same = sameAs;
    if (same != null) {
      return same.minute();
    }
    MinuteWindow m = minute;
    if (m == null) {
      m = new MinuteWindow();
      minute = m;
    }
    return m;
  }

  /** The merged histogram of the minute up to the latest frame. */
  public LatencyHistogram minuteHistogram() {
    return minute().histogram(lastEpochSecond);
  }

  /** Responses by status class over the minute up to the latest frame. */
  public dev.sluice.console.telemetry.StatusCounts minuteStatuses() {
    return minute().statuses(lastEpochSecond);
  }

  /** Requests and 429s over the minute up to the latest frame. */
  public long minuteRequests() {
    return minute().requests(lastEpochSecond);
  }

  public long minuteRateLimited() {
    return minute().rateLimited(lastEpochSecond);
  }

  public DoubleProperty requestsPerSecondProperty() {
    return requestsPerSecond;
  }

  public LongProperty p50MicrosProperty() {
    return p50Micros;
  }

  public LongProperty p99MicrosProperty() {
    return p99Micros;
  }

  public DoubleProperty errorPercentProperty() {
    return errorPercent;
  }

  public DoubleProperty rateLimitedPerSecondProperty() {
    return rateLimitedPerSecond;
  }

  public ObjectProperty<BreakerBadge> breakerProperty() {
    return breaker;
  }

  public StringProperty limitProperty() {
    return limit;
  }

  public BooleanProperty hotProperty() {
    return hot;
  }

  @Override
  public String toString() {
    return "RouteRow[" + path + "]";
  }
}
