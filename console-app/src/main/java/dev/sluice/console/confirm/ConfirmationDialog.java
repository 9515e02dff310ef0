package dev.sluice.console.confirm;

import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.console.theme.ThemeManager;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * The one confirmation every destructive action goes through: it states the blast radius, asks for
 * the reason (required), sends the change, and stays open with the gateway's answer when refused.
 * It never blocks the FX thread: the dialog is shown, not waited for.
 */
public final class ConfirmationDialog {
  private final ThemeManager themes;
  private final Executor uiThread;

  /** @param uiThread where outcomes are handled (the console's single hand-off to the FX thread) */
  public ConfirmationDialog(ThemeManager themes, Executor uiThread) {
    this.themes = themes;
    this.uiThread = uiThread;
  }

  /** Shows the dialog; {@code onApplied} runs on the FX thread once the gateway accepted it. */
  public Dialog<ButtonType> show(
      @Nullable Window owner, PendingChange change, Consumer<ChangeResult> onApplied) {
    Dialog<ButtonType> dialog = new Dialog<>();
    dialog.initOwner(owner);
    dialog.setTitle(change.title());
    dialog.setHeaderText(null);
    themes.manage(dialog.getDialogPane().getScene());
    dialog.getDialogPane().getStyleClass().add("confirmation");
    if (change.destructive()) {
      dialog.getDialogPane().getStyleClass().add("destructive");
    }

    Label title = new Label(change.title());
    title.getStyleClass().add("pane-title");
    Label radius = new Label(change.blastRadius());
    radius.getStyleClass().add("blast-radius");
    radius.setId("blast-radius");
    radius.setWrapText(true);
    radius.setMaxWidth(460);
    Label reasonLabel = new Label("Reason (required, goes to the audit log):");
    TextArea reason = new TextArea();
    reason.setId("change-reason");
    reason.setPrefRowCount(3);
    reason.setWrapText(true);
    reason.setPromptText("e.g. INC-4211: users-db failover, shedding load");
    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    error.setMaxWidth(460);
    error.managedProperty().bind(error.visibleProperty());
    error.setVisible(false);
    VBox escapeBox = new VBox(6);
    escapeBox.setId("floor-escape");
    escapeBox.managedProperty().bind(escapeBox.visibleProperty());
    escapeBox.setVisible(false);
    VBox content = new VBox(10, title, radius, reasonLabel, reason, error, escapeBox);
    content.setPadding(new Insets(8, 4, 4, 4));
    content.setPrefWidth(480);
    dialog.getDialogPane().setContent(content);

    ButtonType apply = new ButtonType(change.actionLabel(), ButtonBar.ButtonData.OK_DONE);
    dialog.getDialogPane().getButtonTypes().addAll(apply, ButtonType.CANCEL);
    Button applyButton = (Button) dialog.getDialogPane().lookupButton(apply);
    applyButton.setId("confirm-change");
    applyButton.setDefaultButton(false);
    if (change.destructive()) {
      applyButton.getStyleClass().add("danger");
    }
    applyButton.disableProperty().bind(reason.textProperty().isEmpty()
        .or(javafx.beans.binding.Bindings.createBooleanBinding(
            () -> reason.getText().isBlank(), reason.textProperty())));
    applyButton.addEventFilter(javafx.event.ActionEvent.ACTION, event -> {
      event.consume();
      applyButton.disableProperty().unbind();
      applyButton.setDisable(true);
      error.setVisible(false);
      change.confirm(reason.getText()).whenCompleteAsync((result, failure) -> {
        if (failure == null) {
          dialog.close();
          onApplied.accept(result);
        } else {
          error.setText("Not applied: " + describe(failure));
          error.setVisible(true);
          applyButton.setDisable(false);
          PendingChange.Escape escape = change.escape();
          if (escape != null && floor(failure) != null) {
            offer(escape, escapeBox, reason, dialog, onApplied);
          }
        }
      }, uiThread);
    });
    dialog.show();
    reason.requestFocus();
    return dialog;
  }

  /**
   * Offers the escape from a safety refusal: the operator types the confirmation word (the
   * service's name) before the change can be repeated on purpose, with the same reason.
   */
  private void offer(PendingChange.Escape escape, VBox box, TextArea reason,
      Dialog<ButtonType> dialog, Consumer<ChangeResult> onApplied) {
    Label offer = new Label(escape.offer());
    offer.setWrapText(true);
    offer.setMaxWidth(460);
    offer.getStyleClass().add("blast-radius");
    Label ask = new Label("Type " + escape.typedConfirmation() + " to confirm:");
    javafx.scene.control.TextField typed = new javafx.scene.control.TextField();
    typed.setId("floor-escape-typed");
    typed.setPromptText(escape.typedConfirmation());
    Button go = new Button("Go below the floor");
    go.setId("floor-escape-confirm");
    go.getStyleClass().add("danger");
    go.disableProperty().bind(typed.textProperty().isNotEqualTo(escape.typedConfirmation())
        .or(reason.textProperty().isEmpty()));
    Label outcome = new Label();
    outcome.getStyleClass().add("error-text");
    outcome.setWrapText(true);
    outcome.setMaxWidth(460);
    go.setOnAction(e -> {
      go.disableProperty().unbind();
      go.setDisable(true);
      escape.apply().apply(reason.getText().trim()).whenCompleteAsync((result, failure) -> {
        if (failure == null) {
          dialog.close();
          onApplied.accept(result);
        } else {
          outcome.setText("Not applied: " + describe(failure));
          go.setDisable(false);
        }
      }, uiThread);
    });
    box.getChildren().setAll(offer, ask, typed, go, outcome);
    box.setVisible(true);
    dialog.getDialogPane().getScene().getWindow().sizeToScene();
  }

  /** The floor numbers of a drain the gateway refused for its healthy-instance floor, if it was that. */
  static dev.sluice.admin.v1.@Nullable FloorViolation floor(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    com.google.rpc.Status detail = io.grpc.protobuf.StatusProto.fromThrowable(cause);
    if (detail == null) {
      return null;
    }
    for (com.google.protobuf.Any any : detail.getDetailsList()) {
      if (any.is(dev.sluice.admin.v1.FloorViolation.class)) {
        try {
          return any.unpack(dev.sluice.admin.v1.FloorViolation.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    Status status = Status.fromThrowable(cause);
    if (floor(failure) != null) {
      return "refused by the healthy-instance floor: " + status.getDescription();
    }
    if (status.getCode() == Status.Code.UNKNOWN) {
      return String.valueOf(cause.getMessage());
    }
    String description = status.getDescription();
    return switch (status.getCode()) {
      case FAILED_PRECONDITION -> "the gateway changed meanwhile (" + description
          + "). Refresh (F5), check, and try again.";
      case PERMISSION_DENIED -> "not allowed: " + description;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> "the gateway did not answer (" + status.getCode()
          + "); the change may not have been applied. Check the events.";
      default -> status.getCode() + (description == null ? "" : ": " + description);
    };
  }
}
