package dev.sluice.console.history;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;

/**
 * A route's history over the loaded range (the agent's hours plus live data): p50/p99 latency and
 * requests / 5xx per second, with breaker, drain, override and config-change markers. A range of
 * 15 min, 1 h or 6 h is shown; the slider (or dragging a chart sideways) scrubs it back in time,
 * and "Live" follows the newest data again. Redraws on the model's revision while a route is shown.
 */
public final class HistoryChartView {
  /** The ranges offered, in minutes. */
  static final int[] RANGES = {15, 60, 360};
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private final HistoryModel model;
  private final VBox root = new VBox(4);
  private final Label status = new Label();
  private final Label window = new Label();
  private final Slider scrub = new Slider(0, 1, 1);
  private final ToggleGroup rangeGroup = new ToggleGroup();
  private final NumberAxis latencyTime = timeAxis();
  private final NumberAxis trafficTime = timeAxis();
  private final NumberAxis latencyAxis = new NumberAxis();
  private final NumberAxis rateAxis = new NumberAxis();
  private final AnnotatedChart latency = new AnnotatedChart(latencyTime, latencyAxis);
  private final AnnotatedChart traffic = new AnnotatedChart(trafficTime, rateAxis);
  private final XYChart.Series<Number, Number> p50 = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> p99 = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> rps = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> errors = new XYChart.Series<>();
  private int rangeMinutes = RANGES[0];
  private @Nullable String routeId;
  private String service = "";
  private double dragStartX = Double.NaN;
  private double dragStartValue;
  private boolean drawing;

  public HistoryChartView(HistoryModel model) {
    this.model = model;
    root.setId("history-charts");
    root.getStyleClass().add("history-charts");
    Label title = new Label("History");
    title.getStyleClass().add("section-title");
    HBox ranges = new HBox();
    ranges.getStyleClass().add("history-ranges");
    for (int minutes : RANGES) {
      ToggleButton b = new ToggleButton(minutes < 60 ? minutes + " min" : minutes / 60 + " h");
      b.setId("history-range-" + minutes);
      b.setToggleGroup(rangeGroup);
      b.setUserData(minutes);
      b.setSelected(minutes == rangeMinutes);
      ranges.getChildren().add(b);
    }
    rangeGroup.selectedToggleProperty().addListener((o, a, b) -> {
      if (b == null) {
        a.setSelected(true);
        return;
      }
      rangeMinutes = (Integer) b.getUserData();
      redraw();
    });
    ToggleButton live = new ToggleButton("Live");
    live.setId("history-live");
    live.setSelected(true);
    live.selectedProperty().addListener((o, a, b) -> {
      if (b) {
        scrub.setValue(scrub.getMax());
      }
    });
    status.setId("history-status");
    status.getStyleClass().add("muted");
    status.textProperty().bind(model.statusProperty());
    live.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    for (Node b : ranges.getChildren()) {
      ((ToggleButton) b).setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    }
    title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    status.setWrapText(true);
    HBox head = new HBox(8, title, ranges, live);
    head.setAlignment(Pos.CENTER_LEFT);

    scrub.setId("history-scrub");
    HBox.setHgrow(scrub, Priority.ALWAYS);
    window.setId("history-window");
    window.getStyleClass().add("muted");
    HBox scrubLine = new HBox(8, new Label("Scrub:"), scrub, window);
    scrubLine.setAlignment(Pos.CENTER_LEFT);
    scrub.valueProperty().addListener((o, a, b) -> {
      if (!drawing) {
        live.setSelected(b.doubleValue() >= scrub.getMax() - 0.5);
        redraw();
      }
    });

    latency.setId("history-latency-chart");
    latency.setTitle("Latency p50 / p99 (ms)");
    latencyAxis.setLabel("ms");
    p50.setName("p50");
    p99.setName("p99");
    latency.getData().addAll(List.of(p50, p99));
    traffic.setId("history-traffic-chart");
    traffic.setTitle("Requests and 5xx per second");
    rateAxis.setLabel("per second");
    rps.setName("requests/s");
    errors.setName("5xx/s");
    traffic.getData().addAll(List.of(rps, errors));
    for (AnnotatedChart chart : List.of(latency, traffic)) {
      chart.setMinHeight(200);
      chart.setPrefHeight(230);
      chart.getStyleClass().add("history-chart");
      chart.setOnMousePressed(e -> {
        dragStartX = e.getX();
        dragStartValue = scrub.getValue();
      });
      chart.setOnMouseDragged(e -> {
        if (Double.isNaN(dragStartX)) {
          return;
        }
        double width = Math.max(1, latencyTime.getWidth());
        double secondsPerPixel = rangeMinutes * 60.0 / width;
        scrub.setValue(Math.max(scrub.getMin(), Math.min(scrub.getMax(),
            dragStartValue - (e.getX() - dragStartX) * secondsPerPixel)));
      });
      chart.setOnMouseReleased(e -> dragStartX = Double.NaN);
    }
    root.getChildren().addAll(head, status, scrubLine, latency, traffic);
    OpenCharts.register(latency, () -> describe("latency", "history p50 / p99"));
    OpenCharts.register(traffic, () -> describe("traffic", "history requests and 5xx per second"));
    model.revisionProperty().addListener((o, a, b) -> redraw());
  }

  public Node node() {
    return root;
  }

  /** Shows the history of {@code routeId} (traffic to {@code service}); null clears the charts. */
  public void show(@Nullable String routeId, String service) {
    boolean same = routeId != null && routeId.equals(this.routeId);
    this.routeId = routeId;
    this.service = service;
    if (!same) {
      redraw();
    }
  }

  private OpenCharts.@Nullable Chart describe(String kind, String what) {
    String id = routeId;
    return id == null ? null
        : new OpenCharts.Chart(OpenCharts.name("route", id, kind), id + " " + what, List.of(id));
  }

  /** The shown window [from, to) in epoch seconds; for tests and the export's default window. */
  long[] shownWindow() {
    long end = (long) scrub.getValue();
    return new long[] {end - rangeMinutes * 60L, end};
  }

  List<javafx.scene.control.Label> markerLabels() {
    return latency.markerLabels();
  }

  int shownSteps() {
    return rps.getData().size();
  }

  private void redraw() {
    if (drawing) {
      return;
    }
    drawing = true;
    try {
      draw();
    } finally {
      drawing = false;
    }
  }

  private void draw() {
    String id = routeId;
    long newest = model.newestEpochSecond();
    if (id == null || newest < 0) {
      for (XYChart.Series<Number, Number> s : List.of(p50, p99, rps, errors)) {
        s.getData().clear();
      }
      latency.setAnnotations(List.of());
      traffic.setAnnotations(List.of());
      window.setText("");
      return;
    }
    long span = rangeMinutes * 60L;
    long oldest = model.oldestEpochSecond() < 0 ? newest : model.oldestEpochSecond();
    boolean following = scrub.getValue() >= scrub.getMax() - 0.5;
    double min = Math.min(oldest + span, newest);
    scrub.setMin(min);
    scrub.setMax(newest);
    scrub.setBlockIncrement(span / 4.0);
    if (following || scrub.getValue() > newest) {
      scrub.setValue(newest);
    } else if (scrub.getValue() < min) {
      scrub.setValue(min);
    }
    long to = (long) scrub.getValue() + 1;
    long from = to - span;
    for (NumberAxis axis : List.of(latencyTime, trafficTime)) {
      axis.setLowerBound(from);
      axis.setUpperBound(to);
      axis.setTickUnit(span / 6.0);
    }
    long res = model.resolutionSeconds();
    List<XYChart.Data<Number, Number>> fifty = new ArrayList<>();
    List<XYChart.Data<Number, Number>> ninetyNine = new ArrayList<>();
    List<XYChart.Data<Number, Number>> requests = new ArrayList<>();
    List<XYChart.Data<Number, Number>> fivexx = new ArrayList<>();
    for (HistoryStep s : model.route(id).between(from - res, to)) {
      long x = s.startEpochSecond();
      requests.add(new XYChart.Data<>(x, s.requestsPerSecond(res)));
      fivexx.add(new XYChart.Data<>(x, (double) s.serverErrors() / res));
      if (s.p99Micros() >= 0) {
        fifty.add(new XYChart.Data<>(x, s.p50Micros() / 1000.0));
        ninetyNine.add(new XYChart.Data<>(x, s.p99Micros() / 1000.0));
      }
    }
    p50.getData().setAll(fifty);
    p99.getData().setAll(ninetyNine);
    rps.getData().setAll(requests);
    errors.getData().setAll(fivexx);
    List<Annotation> marks = model.annotations(id, service, Instant.ofEpochSecond(from),
        Instant.ofEpochSecond(to));
    latency.setAnnotations(marks);
    traffic.setAnnotations(marks);
    window.setText(CLOCK.format(Instant.ofEpochSecond(from)) + " – "
        + CLOCK.format(Instant.ofEpochSecond(to)) + (following ? " (live)" : ""));
  }

  private static NumberAxis timeAxis() {
    NumberAxis axis = new NumberAxis();
    axis.setAutoRanging(false);
    axis.setForceZeroInRange(false);
    axis.setAnimated(false);
    axis.setMinorTickVisible(false);
    axis.setTickLabelFormatter(new StringConverter<>() {
      @Override
      public String toString(Number epochSecond) {
        return CLOCK.format(Instant.ofEpochSecond(epochSecond.longValue()));
      }

      @Override
      public Number fromString(String s) {
        return 0;
      }
    });
    return axis;
  }
}
