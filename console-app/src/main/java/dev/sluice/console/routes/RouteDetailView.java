package dev.sluice.console.routes;

import dev.sluice.admin.v1.Route;
import dev.sluice.console.telemetry.Figures;
import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import dev.sluice.console.telemetry.StatusCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The selected route's detail: its figures, responses by status class, its config with Edit and
 * Limit buttons, the latency histogram of the last interval beside the last minute's (log-scaled
 * buckets, as shares so the two compare), and a rolling p50/p99 chart over the last 5, 10 or 15
 * minutes. Redrawn after each applied batch of frames, only while a route is selected.
 */
final class RouteDetailView {
  /** The longest chart range; {@link RouteHistory} keeps this much. */
  static final int CHART_SECONDS = 900;

  private final VBox root = new VBox(8);
  private final Label title = new Label("Select a route");
  private final Label summary = new Label();
  private final Label figures = new Label();
  private final GridPane statuses = new GridPane();
  private final GridPane config = new GridPane();
  private final Button edit = new Button("Edit route…");
  private final Button editLimit = new Button("Edit limit…");
  private final Button delete = new Button("Delete route…");
  private final dev.sluice.console.editors.FiltersSection filters =
      new dev.sluice.console.editors.FiltersSection();
  private final BooleanProperty editable = new SimpleBooleanProperty(this, "editable", false);
  private final BooleanProperty routeShown = new SimpleBooleanProperty(this, "routeShown", false);
  private final CategoryAxis bucketAxis = new CategoryAxis();
  private final NumberAxis shareAxis = new NumberAxis();
  private final BarChart<String, Number> histogram = new BarChart<>(bucketAxis, shareAxis);
  private final XYChart.Series<String, Number> lastInterval = new XYChart.Series<>();
  private final XYChart.Series<String, Number> lastMinute = new XYChart.Series<>();
  private final NumberAxis timeAxis = new NumberAxis(-300, 0, 60);
  private final NumberAxis latencyAxis = new NumberAxis();
  private final LineChart<Number, Number> percentiles = new LineChart<>(timeAxis, latencyAxis);
  private final XYChart.Series<Number, Number> p50 = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> p99 = new XYChart.Series<>();
  private final ComboBox<Integer> range = new ComboBox<>();
  private Consumer<Route> onEdit = r -> { };
  private Consumer<Route> onEditLimit = r -> { };
  private Consumer<Route> onDelete = r -> { };
  private java.util.function.Predicate<Route> mayDelete = r -> false;
  private final BooleanProperty deletable = new SimpleBooleanProperty(this, "deletable", false);
  private @Nullable RouteRow shown;
  private dev.sluice.console.history.@Nullable HistoryChartView historyCharts;
  private @Nullable VBox content;

  RouteDetailView(ObservableValue<Number> framesApplied) {
    root.getStyleClass().add("route-detail");
    root.setId("route-detail");
    title.getStyleClass().add("pane-title");
    summary.getStyleClass().add("route-summary");
    figures.getStyleClass().add("detail-figures");
    figures.setId("detail-figures");
    statuses.setId("statuses");
    statuses.getStyleClass().add("status-grid");
    statuses.setHgap(14);
    statuses.setVgap(2);

    config.getStyleClass().add("route-config");
    config.setId("route-config");
    config.setHgap(10);
    config.setVgap(3);
    edit.setId("edit-route");
    editLimit.setId("edit-limit");
    edit.disableProperty().bind(Bindings.not(editable.and(routeShown)));
    editLimit.disableProperty().bind(Bindings.not(editable.and(routeShown)));
    edit.setOnAction(e -> withRoute(onEdit));
    editLimit.setOnAction(e -> withRoute(onEditLimit));
    delete.setId("delete-route");
    delete.getStyleClass().add("danger");
    delete.disableProperty().bind(Bindings.not(editable.and(deletable)));
    delete.setOnAction(e -> withRoute(onDelete));

    histogram.setTitle("Latency distribution");
    histogram.setAnimated(false);
    histogram.setCategoryGap(2);
    histogram.setBarGap(0);
    shareAxis.setLabel("% of requests");
    bucketAxis.setTickLabelRotation(-45);
    bucketAxis.setAnimated(false);
    lastInterval.setName("last interval");
    lastMinute.setName("last minute");
    histogram.getData().add(lastInterval);
    histogram.getData().add(lastMinute);
    histogram.setMinHeight(220);
    histogram.setPrefHeight(240);

    percentiles.setAnimated(false);
    percentiles.setCreateSymbols(false);
    timeAxis.setLabel("seconds ago");
    timeAxis.setAutoRanging(false);
    latencyAxis.setLabel("ms");
    p50.setName("p50");
    p99.setName("p99");
    percentiles.getData().add(p50);
    percentiles.getData().add(p99);
    percentiles.setMinHeight(200);
    percentiles.setPrefHeight(220);
    range.setId("chart-range");
    range.getItems().setAll(5, 10, 15);
    range.setValue(5);
    range.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(@Nullable Integer minutes) {
        return minutes == null ? "" : "last " + minutes + " min";
      }

      @Override
      public Integer fromString(String s) {
        return 5;
      }
    });
    range.valueProperty().addListener((o, a, b) -> redraw());
    Label chartTitle = new Label("p50 / p99");
    chartTitle.getStyleClass().add("section-title");
    HBox chartHead = new HBox(8, chartTitle, range);
    chartHead.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

    Label statusTitle = new Label("Responses by status class");
    statusTitle.getStyleClass().add("section-title");
    Label configTitle = new Label("Config");
    configTitle.getStyleClass().add("section-title");
    HBox actions = new HBox(8, edit, editLimit, delete);
    VBox content = this.content = new VBox(6, title, summary, figures, statusTitle, statuses,
        configTitle, config, filters.node(), actions, histogram, chartHead, percentiles);
    content.setFillWidth(true);
    ScrollPane scroll = new ScrollPane(content);
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("detail-scroll");
    root.getChildren().add(scroll);
    javafx.scene.layout.VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
    root.setMinWidth(340);
    framesApplied.addListener((o, a, b) -> redraw());
    dev.sluice.console.history.OpenCharts.register(histogram,
        () -> openChart("latency-histogram", "latency histogram (last interval, last minute)"));
    dev.sluice.console.history.OpenCharts.register(percentiles,
        () -> openChart("p50-p99-live", "p50 / p99, last "
            + (range.getValue() == null ? 5 : range.getValue()) + " min (live)"));
  }

  /** What an incident export names a chart of the shown route or path segment; null when none. */
  private dev.sluice.console.history.OpenCharts.@Nullable Chart openChart(String kind, String what) {
    RouteRow row = shown;
    if (row == null) {
      return null;
    }
    Route r = row.route();
    return r != null
        ? new dev.sluice.console.history.OpenCharts.Chart(
            dev.sluice.console.history.OpenCharts.name("route", r.getId(), kind),
            r.getId() + " " + what, List.of(r.getId()))
        : new dev.sluice.console.history.OpenCharts.Chart(
            dev.sluice.console.history.OpenCharts.name("path", row.path(), kind),
            row.path() + " (all routes below) " + what, List.of());
  }

  Node node() {
    return root;
  }

  /** Whether the session may change routes; the Edit buttons follow it. */
  BooleanProperty editableProperty() {
    return editable;
  }

  void setOnEdit(Consumer<Route> action) {
    onEdit = action;
  }

  void setOnEditLimit(Consumer<Route> action) {
    onEditLimit = action;
  }

  /** Delete route… runs {@code action} for a shown route that {@code allowed} accepts. */
  void setOnDelete(Consumer<Route> action, java.util.function.Predicate<Route> allowed) {
    onDelete = action;
    mayDelete = allowed;
    redraw();
  }

  /** Adds the agent-history charts (hours, scrubbable, with event markers) below the rolling chart. */
  void attachHistory(dev.sluice.console.history.HistoryChartView charts) {
    historyCharts = charts;
    if (content != null) {
      content.getChildren().add(charts.node());
    }
    redraw();
  }

  void show(@Nullable RouteRow row) {
    shown = row;
    redraw();
  }

  private void withRoute(Consumer<Route> action) {
    RouteRow row = shown;
    if (row != null && row.route() != null) {
      action.accept(row.route());
    }
  }

  private void redraw() {
    RouteRow row = shown;
    routeShown.set(row != null && row.route() != null);
    deletable.set(row != null && row.route() != null && mayDelete.test(row.route()));
    filters.show(row == null ? null : row.route());
    if (historyCharts != null) {
      Route r = row == null ? null : row.route();
      historyCharts.show(r == null ? null : r.getId(), r == null ? "" : r.getService());
    }
    if (row == null) {
      title.setText("Select a route");
      summary.setText("Its latency histogram, status classes and p50/p99 over time show here.");
      figures.setText("");
      statuses.getChildren().clear();
      config.getChildren().clear();
      lastInterval.getData().clear();
      lastMinute.getData().clear();
      p50.getData().clear();
      p99.getData().clear();
      return;
    }
    title.setText(row.segment().startsWith("/") ? row.path() : row.path() + "  ·  " + row.segment());
    summary.setText(row.route() == null
        ? "Path segment: figures of every route below it, percentiles from merged histograms"
        : row.routeSummary());
    RouteSample s = row.sample();
    figures.setText(Figures.rate(s.requestsPerSecond()) + " RPS · p50 "
        + Figures.latency(s.p50Micros()) + " · p99 " + Figures.latency(s.p99Micros())
        + " · 5xx " + Figures.percent(s.errorPercent())
        + (s.rateLimited() > 0 ? " · limited " + Figures.rate(s.rateLimitedPerSecond()) + "/s" : ""));
    showStatuses(s.statuses(), s.rateLimited(), row.minuteStatuses(), row.minuteRateLimited());
    Route route = row.route();
    if (route == null) {
      config.getChildren().clear();
    } else {
      describe(route);
    }
    drawHistograms(row.lastHistogram(), row.minuteHistogram());
    drawHistory(row.history());
  }

  /**
   * Status classes as a small table — a column per class, a row per window, each cell the class's
   * share with its count in a tooltip — so it fits the narrow pane; the class is always a word, colour
   * only adds to it.
   */
  private void showStatuses(StatusCounts interval, long intervalLimited, StatusCounts minute,
      long minuteLimited) {
    statuses.getChildren().clear();
    String[] heads = {"", "2xx", "3xx", "4xx", "5xx", "429"};
    for (int column = 0; column < heads.length; column++) {
      Label head = new Label(heads[column]);
      head.getStyleClass().add("muted");
      statuses.add(head, column, 0);
    }
    statusRow(1, "last interval", interval, intervalLimited);
    statusRow(2, "last minute", minute, minuteLimited);
  }

  private void statusRow(int row, String window, StatusCounts c, long rateLimited) {
    Label name = new Label(window);
    name.getStyleClass().add("muted");
    statuses.add(name, 0, row);
    statuses.add(status("2xx", c.success(), c, "status-2xx", window), 1, row);
    statuses.add(status("3xx", c.redirection(), c, "status-3xx", window), 2, row);
    statuses.add(status("4xx", c.clientError(), c, "status-4xx", window), 3, row);
    statuses.add(status("5xx", c.serverError(), c, "status-5xx", window), 4, row);
    Label limited = new Label(Long.toString(rateLimited));
    limited.getStyleClass().addAll("status-class", rateLimited > 0 ? "rate-limited-some" : "status-none");
    limited.setTooltip(new Tooltip(rateLimited + " answered 429 by the rate limit, " + window));
    statuses.add(limited, 5, row);
  }

  private static Label status(String name, long count, StatusCounts all, String styleClass,
      String window) {
    Label l = new Label(all.total() == 0 ? "—" : Figures.percent(all.percent(count)));
    l.getStyleClass().addAll("status-class", count > 0 ? styleClass : "status-none");
    l.setTooltip(new Tooltip(name + ": " + count + " of " + all.total() + " responses, " + window));
    return l;
  }

  private void describe(Route r) {
    config.getChildren().clear();
    int row = 0;
    String methods = r.getMatch().getMethodsCount() == 0 ? "any method"
        : String.join(", ", r.getMatch().getMethodsList());
    row = line(row, "Match", (r.getMatch().getHost().isEmpty() ? "any host" : r.getMatch().getHost())
        + " · " + r.getMatch().getPath() + " · " + methods);
    row = line(row, "Service", r.getService());
    row = line(row, "Filters", r.getFiltersCount() == 0 ? "none" : String.join(", ",
        r.getFiltersList().stream().map(dev.sluice.admin.v1.FilterSpec::getName).toList()));
    String limit = RoutesViewModel.limitText(r);
    StringBuilder limitText = new StringBuilder(limit.isEmpty() ? "none" : limit);
    if (r.getRateLimit().hasOverride()) {
      var o = r.getRateLimit().getOverride();
      limitText.append(" · set by ").append(o.getSetBy()).append(": ").append(o.getReason());
      if (o.hasExpiresAt()) {
        Duration left = Duration.between(Instant.now(),
            Instant.ofEpochSecond(o.getExpiresAt().getSeconds()));
        limitText.append(" · ⏱ ends in ").append(Figures.age(left));
      }
      if (r.getRateLimit().hasConfigured()) {
        limitText.append(" · configured ").append(Figures.limitRate(
            r.getRateLimit().getConfigured().getRequestsPerSecond())).append("/s");
      }
    }
    row = line(row, "Limit", limitText.toString());
    List<String> other = new ArrayList<>();
    if (!r.getStripPrefix().isEmpty()) {
      other.add("strips " + r.getStripPrefix());
    }
    if (!r.getRewritePath().isEmpty()) {
      other.add("rewrites to " + r.getRewritePath());
    }
    if (r.hasResponseTimeout()) {
      other.add("timeout " + Figures.latency(r.getResponseTimeout().getSeconds() * 1_000_000
          + r.getResponseTimeout().getNanos() / 1_000));
    }
    if (r.getRetry().getMaxAttempts() > 1) {
      other.add(r.getRetry().getMaxAttempts() + " attempts");
    }
    if (!other.isEmpty()) {
      row = line(row, "Forwarding", String.join(" · ", other));
    }
    line(row, "Origin", r.getDiffersFromFile() ? "changed at runtime (differs from the file)"
        : r.getOrigin() == dev.sluice.admin.v1.Origin.ORIGIN_RUNTIME ? "created at runtime"
        : "config file");
  }

  private int line(int row, String name, String value) {
    Label k = new Label(name);
    k.getStyleClass().add("muted");
    Label v = new Label(value);
    v.setWrapText(true);
    v.setId("config-" + name.toLowerCase(java.util.Locale.ROOT));
    config.addRow(row, k, v);
    return row + 1;
  }

  /** The two histograms as shares over the buckets either one uses (plus a neighbour each side). */
  private void drawHistograms(LatencyHistogram interval, LatencyHistogram minute) {
    LatencyHistogram shape = minute.total() > 0 ? minute : interval;
    int first = -1;
    int last = -1;
    for (LatencyHistogram h : List.of(interval, minute)) {
      for (int i = 0; i < h.bucketCount(); i++) {
        if (h.count(i) > 0) {
          first = first < 0 ? i : Math.min(first, i);
          last = Math.max(last, i);
        }
      }
    }
    List<XYChart.Data<String, Number>> a = new ArrayList<>();
    List<XYChart.Data<String, Number>> b = new ArrayList<>();
    if (first >= 0) {
      for (int i = Math.max(0, first - 1); i <= Math.min(shape.bucketCount() - 1, last + 1); i++) {
        long bound = shape.upperBoundMicros(i);
        String label = bound < 0 ? "more" : "≤" + Figures.latency(bound);
        a.add(new XYChart.Data<>(label, share(interval, i)));
        b.add(new XYChart.Data<>(label, share(minute, i)));
      }
    }
    update(lastInterval, a);
    update(lastMinute, b);
  }

  /**
   * Moves the existing bars when the buckets are the same ones: each new bar's node binds to its
   * series for accessibility and those bindings outlive the bar (JavaFX 21), so replacing the bars
   * on every frame would pile them up.
   */
  private static void update(XYChart.Series<String, Number> series, List<XYChart.Data<String, Number>> next) {
    javafx.collections.ObservableList<XYChart.Data<String, Number>> bars = series.getData();
    boolean same = bars.size() == next.size();
    for (int i = 0; same && i < next.size(); i++) {
      same = bars.get(i).getXValue().equals(next.get(i).getXValue());
    }
    if (!same) {
      bars.setAll(next);
      return;
    }
    for (int i = 0; i < next.size(); i++) {
      if (!bars.get(i).getYValue().equals(next.get(i).getYValue())) {
        bars.get(i).setYValue(next.get(i).getYValue());
      }
    }
  }

  private static double share(LatencyHistogram h, int bucket) {
    return h.total() == 0 || bucket >= h.bucketCount() ? 0 : 100.0 * h.count(bucket) / h.total();
  }

  private void drawHistory(RouteHistory rolling) {
    RouteHistory.Points history = rolling.points();
    int seconds = (range.getValue() == null ? 5 : range.getValue()) * 60;
    timeAxis.setLowerBound(-seconds);
    timeAxis.setTickUnit(seconds / 5.0);
    List<XYChart.Data<Number, Number>> fifty = new ArrayList<>();
    List<XYChart.Data<Number, Number>> ninetyNine = new ArrayList<>();
    int n = history.size();
    if (n > 0) {
      long newest = history.epochMillis(n - 1);
      for (int i = 0; i < n; i++) {
        double ago = (history.epochMillis(i) - newest) / 1000.0;
        if (ago < -seconds || history.p99Micros(i) < 0) {
          continue;
        }
        fifty.add(new XYChart.Data<>(ago, history.p50Micros(i) / 1000.0));
        ninetyNine.add(new XYChart.Data<>(ago, history.p99Micros(i) / 1000.0));
      }
    }
    p50.getData().setAll(fifty);
    p99.getData().setAll(ninetyNine);
  }
}
