package dev.sluice.console.history;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Group;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Line;

/**
 * A time line chart (x in epoch seconds) with event markers: a vertical line and a label with the
 * annotation's symbol and words at each event, its detail as tooltip. Styled through
 * {@code .annotation-marker} and the annotation kind's style class.
 */
final class AnnotatedChart extends LineChart<Number, Number> {
  private final List<Marker> markers = new ArrayList<>();
  private final Group layer = new Group();

  AnnotatedChart(NumberAxis x, NumberAxis y) {
    super(x, y);
    setAnimated(false);
    setCreateSymbols(false);
    getPlotChildren().add(layer);
  }

  void setAnnotations(List<Annotation> annotations) {
    layer.getChildren().clear();
    markers.clear();
    for (Annotation a : annotations) {
      Line line = new Line();
      line.getStyleClass().addAll("annotation-line", a.kind().styleClass());
      Label label = new Label(a.symbol() + " " + a.label());
      label.getStyleClass().addAll("annotation-marker", a.kind().styleClass());
      label.setId("annotation-" + a.sequence());
      Tooltip tip = new Tooltip(a.detail() + "\n" + a.time());
      tip.setShowDelay(javafx.util.Duration.millis(150));
      Tooltip.install(label, tip);
      Tooltip.install(line, tip);
      markers.add(new Marker(a, line, label));
      layer.getChildren().addAll(line, label);
    }
    requestChartLayout();
  }

  List<Label> markerLabels() {
    return markers.stream().map(Marker::label).toList();
  }

  @Override
  protected void layoutPlotChildren() {
    super.layoutPlotChildren();
    layer.toFront();
    NumberAxis x = (NumberAxis) getXAxis();
    double height = getYAxis().getHeight();
    // Each label takes the first row where it overlaps no label placed before it.
    List<List<double[]>> rows = new ArrayList<>();
    for (Marker m : markers) {
      double px = x.getDisplayPosition(m.annotation().time().getEpochSecond());
      boolean inside = px >= 0 && px <= x.getWidth();
      m.line().setVisible(inside);
      m.label().setVisible(inside);
      m.line().setStartX(px);
      m.line().setEndX(px);
      m.line().setStartY(0);
      m.line().setEndY(height);
      if (!inside) {
        continue;
      }
      m.label().autosize();
      double w = m.label().prefWidth(-1);
      double lx = px + 3 + w > x.getWidth() ? px - 3 - w : px + 3;
      int row = 0;
      while (row < rows.size() && overlaps(rows.get(row), lx, lx + w)) {
        row++;
      }
      if (row == rows.size()) {
        rows.add(new ArrayList<>());
      }
      rows.get(row).add(new double[] {lx, lx + w});
      m.label().relocate(lx, 2 + row * (m.label().prefHeight(-1) + 1));
    }
  }

  private static boolean overlaps(List<double[]> row, double from, double to) {
    for (double[] r : row) {
      if (from < r[1] + 2 && to > r[0] - 2) {
        return true;
      }
    }
    return false;
  }

  private record Marker(Annotation annotation, Line line, Label label) {}
}
