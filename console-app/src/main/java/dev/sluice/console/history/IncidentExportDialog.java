package dev.sluice.console.history;

import dev.sluice.admin.v1.Snapshot;
import dev.sluice.console.connection.GatewayClient;
import dev.sluice.export.IncidentExport;
import dev.sluice.export.IncidentExportWriter;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * File → Export incident…: asks for the window (last 15 min, last hour, custom from–to), an
 * incident id and title, and a file; pictures every open chart (what views registered with {@link
 * OpenCharts}) on the FX thread, then encodes the pictures, gathers and writes the export in the
 * background, reporting progress and the outcome through {@code status} (called on the FX thread).
 */
public final class IncidentExportDialog {
  private final GatewayClient client;
  private final Executor uiThread;
  private final HistoryModel model;
  private final Supplier<List<OpenCharts.Shown>> openCharts;
  private final String generator;
  private final Clock clock;

  /** @param openCharts the charts open now, asked on the FX thread when an export starts */
  public IncidentExportDialog(GatewayClient client, Executor uiThread, HistoryModel model,
      Supplier<List<OpenCharts.Shown>> openCharts, String generator, Clock clock) {
    this.client = client;
    this.uiThread = uiThread;
    this.model = model;
    this.openCharts = openCharts;
    this.generator = generator;
    this.clock = clock;
  }

  /** Exports the charts of {@code charts} alone (a history view shown outside a window). */
  public IncidentExportDialog(GatewayClient client, Executor uiThread, HistoryModel model,
      HistoryChartView charts, String generator, Clock clock) {
    this(client, uiThread, model, () -> OpenCharts.under(charts.node()), generator, clock);
  }

  /** Asks, then exports; {@code status} gets "exporting…: reading events…", then the outcome. */
  public void show(@Nullable Window owner, Consumer<String> status,
      Consumer<javafx.scene.Scene> theme) {
    Dialog<ButtonType> dialog = new Dialog<>();
    if (owner != null) {
      dialog.initOwner(owner);
    }
    dialog.setTitle("Export incident");
    dialog.setHeaderText("Save a time window of this gateway for the postmortem:\nevents, audit "
        + "entries, per-route history, snapshots and the open charts.");
    theme.accept(dialog.getDialogPane().getScene());
    ToggleGroup group = new ToggleGroup();
    RadioButton last15 = radio("Last 15 min", "export-last-15", group, ExportWindow.Choice.LAST_15_MIN);
    RadioButton lastHour = radio("Last hour", "export-last-hour", group, ExportWindow.Choice.LAST_HOUR);
    RadioButton custom = radio("Custom", "export-custom", group, ExportWindow.Choice.CUSTOM);
    last15.setSelected(true);
    Instant now = clock.instant();
    TextField from = new TextField(now.minusSeconds(1800).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    from.setId("export-from");
    TextField to = new TextField(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    to.setId("export-to");
    from.disableProperty().bind(custom.selectedProperty().not());
    to.disableProperty().bind(custom.selectedProperty().not());
    TextField incident = new TextField();
    incident.setId("export-incident");
    incident.setPromptText("INC-4211");
    TextField title = new TextField();
    title.setId("export-title");
    title.setPromptText("users 503s");
    Label problems = new Label();
    problems.setId("export-problems");
    problems.getStyleClass().add("field-error");
    problems.setWrapText(true);
    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(6);
    grid.addRow(0, new Label("Window"), last15, lastHour, custom);
    grid.addRow(1, new Label("From (UTC)"), from);
    grid.addRow(2, new Label("To (UTC)"), to);
    grid.addRow(3, new Label("Incident"), incident);
    grid.addRow(4, new Label("Title"), title);
    grid.add(problems, 0, 5, 4, 1);
    GridPane.setColumnSpan(from, 3);
    GridPane.setColumnSpan(to, 3);
    GridPane.setColumnSpan(incident, 3);
    GridPane.setColumnSpan(title, 3);
    dialog.getDialogPane().setContent(grid);
    ButtonType save = new ButtonType("Choose file and export…", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
    dialog.getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
    javafx.scene.Node saveButton = dialog.getDialogPane().lookupButton(save);
    saveButton.setId("export-save");
    Runnable check = () -> {
      var parsed = parse(group, from, to);
      problems.setText(String.join("\n", parsed.problems()));
      saveButton.setDisable(parsed.window() == null);
    };
    group.selectedToggleProperty().addListener((o, a, b) -> check.run());
    from.textProperty().addListener((o, a, b) -> check.run());
    to.textProperty().addListener((o, a, b) -> check.run());
    check.run();
    dialog.showAndWait().filter(b -> b == save).ifPresent(b -> {
      ExportWindow window = parse(group, from, to).window();
      if (window == null) {
        return;
      }
      FileChooser chooser = new FileChooser();
      chooser.setTitle("Save incident export");
      chooser.setInitialFileName((incident.getText().isBlank() ? "incident" : incident.getText().trim())
          + ".sluice-incident.zip");
      File file = chooser.showSaveDialog(owner);
      if (file != null) {
        export(window, file.toPath(), incident.getText().trim(), title.getText().trim(), status);
      }
    });
  }

  /**
   * Pictures the open charts now (FX thread: only the pixels are copied), then encodes them,
   * gathers and writes in the background; the future completes (off the FX thread) with the export
   * as written.
   */
  public CompletableFuture<IncidentExport> export(ExportWindow window, Path file, String incidentId,
      String title, Consumer<String> status) {
    List<OpenCharts.Shown> shown = openCharts.get();
    List<PngEncoder.Pixels> pixels = new ArrayList<>(shown.size());
    for (OpenCharts.Shown s : shown) {
      pixels.add(PngEncoder.capture(s.node()));
    }
    @Nullable Snapshot atStart = model.snapshotAt(window.from());
    Consumer<String> progress =
        line -> uiThread.execute(() -> status.accept("exporting incident: " + line));
    status.accept("exporting incident: " + shown.size() + (shown.size() == 1 ? " chart" : " charts")
        + " pictured…");
    return client.read(channel -> {
      List<IncidentCollector.Chart> pictures = new ArrayList<>(shown.size());
      for (int i = 0; i < shown.size(); i++) {
        OpenCharts.Chart chart = shown.get(i).chart();
        progress.accept("encoding chart " + (i + 1) + " of " + shown.size()
            + " (" + chart.title() + ")…");
        pictures.add(new IncidentCollector.Chart(chart.name(), chart.title(), chart.routeIds(),
            pixels.get(i).png()));
      }
      IncidentCollector.Request request = new IncidentCollector.Request(window.from(), window.to(),
          generator, incidentId, title, "", atStart, pictures);
      IncidentExport export = IncidentCollector.collect(channel, request, clock.instant(), progress);
      progress.accept("writing " + file.getFileName() + "…");
      try {
        IncidentExportWriter.write(export, file);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return export;
    }).whenComplete((export, error) -> uiThread.execute(() -> status.accept(error == null
        ? "exported " + file.getFileName() + ": " + export.document().getEventsCount() + " events, "
            + export.document().getAuditEntriesCount() + " audit entries, history of "
            + export.document().getHistory().getRoutesCount() + " routes, "
            + export.imageFiles().size() + " charts"
        : "export failed: " + (error.getCause() == null ? error : error.getCause()).getMessage())));
  }

  private ExportWindow.Parsed parse(ToggleGroup group, TextField from, TextField to) {
    ExportWindow.Choice choice = group.getSelectedToggle() == null ? ExportWindow.Choice.LAST_15_MIN
        : (ExportWindow.Choice) group.getSelectedToggle().getUserData();
    return ExportWindow.parse(choice, from.getText(), to.getText(), clock.instant());
  }

  private static RadioButton radio(String text, String id, ToggleGroup group, ExportWindow.Choice choice) {
    RadioButton b = new RadioButton(text);
    b.setId(id);
    b.setToggleGroup(group);
    b.setUserData(choice);
    return b;
  }
}
