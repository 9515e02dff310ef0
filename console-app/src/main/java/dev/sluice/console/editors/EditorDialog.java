package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.console.theme.ThemeManager;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.jspecify.annotations.Nullable;

/**
 * The editors' shared dialog around a form: fields decorated as they are typed in (ControlsFX
 * {@link ValidationSupport}), the required reason, Check (the gateway's dry run and the diff it
 * yields) and Apply, and the version-conflict dialog. Nothing is sent while the form has problems;
 * the FX thread never waits on the gateway.
 */
public final class EditorDialog {
  private final ThemeManager themes;
  private final EditSession session;
  private final Dialog<ButtonType> dialog = new Dialog<>();
  private final GridPane grid = new GridPane();
  private final ScrollPane form = new ScrollPane();
  private final ValidationSupport validation = new ValidationSupport();
  private final Label problems = new Label();
  private @Nullable Alert conflictDialog;
  private Runnable refresh = () -> { };
  private int rows;

  public EditorDialog(ThemeManager themes, EditSession session, String title, String explanation) {
    this.themes = themes;
    this.session = session;
    dialog.setTitle(title);
    dialog.setHeaderText(null);
    dialog.setResizable(true);
    themes.manage(dialog.getDialogPane().getScene());
    dialog.getDialogPane().getStyleClass().addAll("confirmation", "editor");
    dialog.getDialogPane().setId("editor-dialog");
    grid.setHgap(10);
    grid.setVgap(6);
    grid.getStyleClass().add("editor-form");
    Label heading = new Label(title);
    heading.getStyleClass().add("pane-title");
    Label hint = new Label(explanation);
    hint.getStyleClass().add("hint");
    hint.setWrapText(true);
    hint.setMaxWidth(540);
    grid.add(heading, 0, rows++, 2, 1);
    grid.add(hint, 0, rows++, 2, 1);
    validation.setErrorDecorationEnabled(true);
  }

  /**
   * Adds a labelled field; it is marked invalid while the form (or the gateway's last check) has a
   * problem whose path starts with {@code path}, and every change to {@code value} invalidates the
   * last dry run.
   */
  public <T extends Control> T field(String label, String path, T control, Observable value) {
    grid.addRow(rows++, new Label(label), control);
    control.setMaxWidth(Double.MAX_VALUE);
    return decorate(control, path, value);
  }

  /** Decorates a control placed elsewhere (a filter's settings) as {@link #field} does. */
  public <T extends Control> T decorate(T control, String path, Observable value) {
    value.addListener(o -> changed());
    validation.registerValidator(control, false, (Control c, Object v) -> {
      List<Violation> mine = problemsAt(path);
      return ValidationResult.fromErrorIf(c,
          mine.isEmpty() ? "" : mine.get(0).message(), !mine.isEmpty());
    });
    return control;
  }

  /** The form's problems at {@code path}, else the gateway's from the last check. */
  private List<Violation> problemsAt(String path) {
    List<Violation> mine = session.edit().check().stream()
        .filter(x -> x.path().startsWith(path)).toList();
    if (mine.isEmpty() && session.phaseProperty().get() == EditSession.Phase.INVALID) {
      mine = session.violations().stream().filter(x -> x.path().startsWith(path)).toList();
    }
    return mine;
  }

  /** Call when the form changed outside a decorated field (a filter added or removed). */
  public void changed() {
    session.edited();
    refresh.run();
  }

  /**
   * Scrolls the form to its end, where a filter was just added above the Add row, once the form
   * has grown, and focuses the first field of {@code node}.
   */
  public void revealEnd(javafx.scene.Node node) {
    javafx.beans.value.ChangeListener<Number> grown = new javafx.beans.value.ChangeListener<>() {
      @Override
      public void changed(javafx.beans.value.ObservableValue<? extends Number> o, Number a, Number b) {
        grid.heightProperty().removeListener(this);
        form.setVvalue(form.getVmax());
      }
    };
    grid.heightProperty().addListener(grown);
    javafx.application.Platform.runLater(() ->
        node.lookupAll(".text-input").stream().findFirst().ifPresent(javafx.scene.Node::requestFocus));
  }

  /** Adds a node across the form's width (a section of its own). */
  public void section(javafx.scene.Node node) {
    grid.add(node, 0, rows++, 2, 1);
  }

  /** Adds a line of explanation under the fields. */
  public void note(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("hint");
    l.setWrapText(true);
    l.setMaxWidth(540);
    grid.add(l, 0, rows++, 2, 1);
  }

  /** Shows the dialog; {@code onApplied} runs on the FX thread when the gateway applied the edit. */
  public Dialog<ButtonType> show(@Nullable Window owner, Consumer<ChangeResult> onApplied) {
    dialog.initOwner(owner);
    TextArea reason = new TextArea();
    reason.setId("edit-reason");
    reason.setPrefRowCount(2);
    reason.setWrapText(true);
    reason.setPromptText("Why? e.g. INC-4211: shed load from the batch importer");
    reason.textProperty().bindBidirectional(session.reasonProperty());

    problems.setId("edit-problems");
    problems.getStyleClass().add("error-text");
    problems.setWrapText(true);
    problems.setMaxWidth(540);
    // Every problem keeps its lines; the diff below gives up height instead.
    problems.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    Label message = new Label();
    message.setId("edit-message");
    message.setWrapText(true);
    message.setMaxWidth(540);
    message.textProperty().bind(session.messageProperty());

    ListView<ChangeDiff.Line> diff = new ListView<>(session.diff());
    diff.setId("edit-diff");
    diff.setPrefHeight(110);
    VBox.setVgrow(diff, javafx.scene.layout.Priority.ALWAYS);
    diff.setPlaceholder(new Label("Check shows here what the change does, field by field."));
    diff.setCellFactory(l -> new DiffCell());

    form.setContent(grid);
    form.setId("edit-form");
    form.setFitToWidth(true);
    // The form scrolls so that reason, diff and buttons stay on screen however many filters it has.
    form.setMaxHeight(Math.max(200, Math.min(520,
        javafx.stage.Screen.getPrimary().getVisualBounds().getHeight() - 430)));
    form.getStyleClass().add("editor-scroll");
    VBox content = new VBox(8, form,
        new Label("Reason (required, goes to the audit log):"), reason, problems,
        new Label("What changes:"), diff, message);
    content.setPadding(new Insets(8, 4, 4, 4));
    content.setPrefWidth(580);
    dialog.getDialogPane().setContent(content);

    ButtonType checkType = new ButtonType("Check", ButtonBar.ButtonData.OTHER);
    ButtonType applyType = new ButtonType("Apply", ButtonBar.ButtonData.OK_DONE);
    dialog.getDialogPane().getButtonTypes().addAll(checkType, applyType, ButtonType.CLOSE);
    Button check = (Button) dialog.getDialogPane().lookupButton(checkType);
    check.setId("edit-check");
    Button apply = (Button) dialog.getDialogPane().lookupButton(applyType);
    apply.setId("edit-apply");
    apply.setDefaultButton(false);
    check.addEventFilter(ActionEvent.ACTION, e -> {
      e.consume();
      session.check();
    });
    apply.addEventFilter(ActionEvent.ACTION, e -> {
      e.consume();
      session.apply();
    });
    var phase = session.phaseProperty();
    var busy = Bindings.createBooleanBinding(() -> phase.get() == EditSession.Phase.CHECKING
        || phase.get() == EditSession.Phase.APPLYING || phase.get() == EditSession.Phase.APPLIED, phase);
    refresh = () -> {
      List<Violation> local = session.localViolations();
      List<Violation> shown = session.phaseProperty().get() == EditSession.Phase.INVALID
          && local.isEmpty() ? session.violations() : local;
      problems.setText(shown.isEmpty() ? "" : String.join("\n", shown.stream()
          .map(v -> "✕ " + v).toList()));
      check.setDisable(!local.isEmpty() || busy.get());
      apply.setDisable(phase.get() != EditSession.Phase.REVIEWED || !local.isEmpty());
      validation.revalidate();
    };
    reason.textProperty().addListener(o -> refresh.run());
    session.violations().addListener((javafx.collections.ListChangeListener<Violation>) c ->
        refresh.run());
    phase.addListener((o, before, now) -> {
      refresh.run();
      if (now == EditSession.Phase.CONFLICT) {
        askAboutConflict();
      } else if (now == EditSession.Phase.APPLIED) {
        ChangeResult result = session.resultProperty().get();
        dialog.close();
        if (result != null) {
          onApplied.accept(result);
        }
      }
    });
    refresh.run();
    dialog.show();
    return dialog;
  }

  private void askAboutConflict() {
    Alert alert = new Alert(Alert.AlertType.WARNING);
    conflictDialog = alert;
    alert.initOwner(dialog.getDialogPane().getScene().getWindow());
    themes.manage(alert.getDialogPane().getScene());
    alert.getDialogPane().setId("conflict-dialog");
    alert.setTitle("Version conflict");
    alert.setHeaderText("Someone changed this gateway while you were editing");
    alert.setContentText(session.messageProperty().get()
        + "\n\nReload and re-apply checks your edit against the current config, shows the new"
        + " diff and applies it if the gateway accepts it. Cancel keeps the dialog open and sends"
        + " nothing.");
    ButtonType reload = new ButtonType("Reload and re-apply", ButtonBar.ButtonData.OK_DONE);
    alert.getButtonTypes().setAll(reload, ButtonType.CANCEL);
    ((Button) alert.getDialogPane().lookupButton(reload)).setId("conflict-reload");
    ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("conflict-cancel");
    alert.resultProperty().addListener((o, a, choice) -> {
      conflictDialog = null;
      if (choice == reload) {
        session.reloadAndReapply();
      }
    });
    alert.show();
  }

  /** The open conflict dialog, if any (for tests and keyboard focus). */
  public @Nullable Alert conflictDialog() {
    return conflictDialog;
  }

  public EditSession session() {
    return session;
  }

  /** Builds a form field's text control bound both ways to {@code property}. */
  public static javafx.scene.control.TextField text(String id, javafx.beans.property.StringProperty property,
      String prompt) {
    javafx.scene.control.TextField field = new javafx.scene.control.TextField();
    field.setId(id);
    field.setPromptText(prompt);
    field.textProperty().bindBidirectional(property);
    return field;
  }

  /** A diff line with a style class per kind, and +, − or ~ in front so it never relies on colour. */
  private static final class DiffCell extends ListCell<ChangeDiff.Line> {
    @Override
    protected void updateItem(ChangeDiff.@Nullable Line line, boolean empty) {
      super.updateItem(line, empty);
      getStyleClass().removeAll("diff-added", "diff-removed", "diff-changed");
      if (empty || line == null) {
        setText(null);
        return;
      }
      setText(line.toString());
      getStyleClass().add(line.added() ? "diff-added" : line.removed() ? "diff-removed" : "diff-changed");
    }
  }
}
