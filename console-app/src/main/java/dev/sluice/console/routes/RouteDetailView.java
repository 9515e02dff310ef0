package dev.sluice.console.routes;

import dev.sluice.console.telemetry.Figures;
import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The selected route's detail: its figures, the latency histogram of the last interval (log-scaled
 * buckets) and a rolling p50/p99 chart of the last {@value #CHART_SECONDS} seconds. Redrawn after
 * each applied batch of frames, only while a route is selected.
 */
final class RouteDetailView {
  static final int CHART_SECONDS = 300;

  private final VBox root = new VBox();
  private final Label title = new Label("Select a route");
  private final Label summary = new Label();
  private final Label figures = new Label();
  private final Label config = new Label();
  private final CategoryAxis bucketAxis = new CategoryAxis();
  private final NumberAxis countAxis = new NumberAxis();
  private final BarChart<String, Number> histogram = new BarChart<>(bucketAxis, countAxis);
  private final NumberAxis timeAxis = new NumberAxis(-CHART_SECONDS, 0, 60);
  private final NumberAxis latencyAxis = new NumberAxis();
  private final LineChart<Number, Number> percentiles = new LineChart<>(timeAxis, latencyAxis);
  private final XYChart.Series<String, Number> bars = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> p50 = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> p99 = new XYChart.Series<>();
  private @Nullable RouteRow shown;

  RouteDetailView(ObservableValue<Number> framesApplied) {
    root.getStyleClass().add("route-detail");
    root.setId("route-detail");
    title.getStyleClass().add("pane-title");
    summary.getStyleClass().add("route-summary");
    figures.getStyleClass().add("detail-figures");
    config.getStyleClass().add("muted");
    config.setWrapText(true);

    histogram.setTitle("Latency, last interval");
    histogram.setAnimated(false);
    histogram.setLegendVisible(false);
    histogram.setCategoryGap(1);
    histogram.setBarGap(0);
    countAxis.setLabel("requests");
    bucketAxis.setTickLabelRotation(-45);
    histogram.getData().add(bars);
    histogram.setMinHeight(200);

    percentiles.setTitle("p50 / p99, last 5 minutes");
    percentiles.setAnimated(false);
    percentiles.setCreateSymbols(false);
    timeAxis.setLabel("seconds ago");
    latencyAxis.setLabel("ms");
    p50.setName("p50");
    p99.setName("p99");
    percentiles.getData().add(p50);
    percentiles.getData().add(p99);
    percentiles.setMinHeight(200);

    VBox.setVgrow(histogram, Priority.ALWAYS);
    VBox.setVgrow(percentiles, Priority.ALWAYS);
    VBox head = new VBox(2, title, summary, figures, config);
    head.setFillWidth(true);
    config.setMaxWidth(Double.MAX_VALUE);
    config.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    root.getChildren().addAll(head, histogram, percentiles);
    root.setMinWidth(320);
    framesApplied.addListener((o, a, b) -> redraw());
  }

  Node node() {
    return root;
  }

  void show(@Nullable RouteRow row) {
    shown = row;
    redraw();
  }

  private void redraw() {
    RouteRow row = shown;
    if (row == null) {
      title.setText("Select a route");
      summary.setText("Its latency histogram and p50/p99 over time show here.");
      figures.setText("");
      config.setText("");
      bars.getData().clear();
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
        + " · errors " + Figures.percent(s.errorPercent())
        + (s.rateLimited() > 0 ? " · limited " + Figures.rate(s.rateLimitedPerSecond()) + "/s" : ""));
    config.setText(row.route() == null ? "" : RouteDetailView.describe(row.route()));
    drawHistogram(row.lastHistogram());
    drawHistory(row.history());
  }

  /** The route's config in one or two lines: what it matches, where it goes, what runs on the way. */
  static String describe(dev.sluice.admin.v1.Route r) {
    StringBuilder b = new StringBuilder();
    b.append(r.getMatch().getHost().isEmpty() ? "any host" : "host " + r.getMatch().getHost());
    if (!r.getStripPrefix().isEmpty()) {
      b.append(" · strips ").append(r.getStripPrefix());
    }
    if (!r.getRewritePath().isEmpty()) {
      b.append(" · rewrites to ").append(r.getRewritePath());
    }
    if (r.hasResponseTimeout()) {
      b.append(" · timeout ").append(Figures.latency(r.getResponseTimeout().getSeconds() * 1_000_000
          + r.getResponseTimeout().getNanos() / 1_000));
    }
    if (r.getRetry().getMaxAttempts() > 1) {
      b.append(" · ").append(r.getRetry().getMaxAttempts()).append(" attempts");
    }
    if (r.getFiltersCount() > 0) {
      b.append(" · filters ").append(String.join(", ", r.getFiltersList().stream()
          .map(dev.sluice.admin.v1.FilterSpec::getName).toList()));
    }
    String limit = RoutesViewModel.limitText(r);
    b.append(" · limit ").append(limit.isEmpty() ? "none" : limit);
    if (r.getDiffersFromFile()) {
      b.append(" · changed at runtime");
    }
    return b.toString();
  }

  private void drawHistogram(LatencyHistogram h) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < h.bucketCount(); i++) {
      if (h.count(i) > 0) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    List<XYChart.Data<String, Number>> data = new ArrayList<>();
    if (first >= 0) {
      for (int i = Math.max(0, first - 1); i <= Math.min(h.bucketCount() - 1, last + 1); i++) {
        long bound = h.upperBoundMicros(i);
        String label = bound < 0 ? "more" : "≤" + Figures.latency(bound);
        data.add(new XYChart.Data<>(label, h.count(i)));
      }
    }
    bars.getData().setAll(data);
  }

  private void drawHistory(RouteHistory history) {
    List<XYChart.Data<Number, Number>> fifty = new ArrayList<>();
    List<XYChart.Data<Number, Number>> ninetyNine = new ArrayList<>();
    int n = history.size();
    if (n > 0) {
      long newest = history.epochMillis(n - 1);
      for (int i = 0; i < n; i++) {
        double ago = (history.epochMillis(i) - newest) / 1000.0;
        if (ago < -CHART_SECONDS || history.p99Micros(i) < 0) {
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
