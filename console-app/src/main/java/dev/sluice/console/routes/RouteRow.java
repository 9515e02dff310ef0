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
  private RouteSample sample;
  /** Made on first use: a segment that only repeats its one child's figures uses the child's. */
  private @Nullable RouteHistory history;
  private @Nullable MinuteWindow minute;
  private @Nullable RouteRow sameAs;
  private long lastEpochSecond;

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

  public RouteHistory history() {
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

  void show(RouteSample next, java.time.Instant at) {
    figures(next);
    sameAs = null;
    history().add(at, next.p50Micros(), next.p99Micros(), next.requestsPerSecond());
    lastEpochSecond = at.getEpochSecond();
    minute().add(lastEpochSecond, next);
  }

  /**
   * Shows {@code next}, which is exactly what {@code child} shows (a path segment with that one
   * child): the child's history and last minute serve for both, so no second copy is kept.
   */
  void showSameAs(RouteSample next, java.time.Instant at, RouteRow child) {
    figures(next);
    sameAs = child;
    history = null;
    minute = null;
    lastEpochSecond = at.getEpochSecond();
  }

  private void figures(RouteSample next) {
    sample = next;
    requestsPerSecond.set(next.requestsPerSecond());
    p50Micros.set(next.p50Micros());
    p99Micros.set(next.p99Micros());
    errorPercent.set(next.errorPercent());
    rateLimitedPerSecond.set(next.rateLimitedPerSecond());
  }

  private MinuteWindow minute() {
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
