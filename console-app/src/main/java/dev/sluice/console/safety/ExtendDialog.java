package dev.sluice.console.safety;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * Extend…: asks how long an override should still last (15 min, 30 min, 1 h, 4 h or custom),
 * with the choices above the agent's maximum disabled and the reason said. The chosen duration
 * goes on to the confirmation step, which asks for the reason. Shown, never waited for.
 */
public final class ExtendDialog {
  private final Supplier<Duration> maxTtl;

  /** @param maxTtl the agent's longest override time-to-live (zero while not known) */
  public ExtendDialog(Supplier<Duration> maxTtl) {
    this.maxTtl = maxTtl;
  }

  /**
   * Shows the choice for the override described by {@code what} ("the drain of users/users-1")
   * whose countdown is {@code countdownNow}; {@code chosen} gets the new time-to-live on the FX
   * thread if the operator picks one.
   */
  public Dialog<Duration> ask(@Nullable Window owner, String what, String countdownNow,
      Consumer<Duration> chosen) {
    Duration max = maxTtl.get();
    Dialog<Duration> dialog = new Dialog<>();
    if (owner != null) {
      dialog.initOwner(owner);
      if (owner.getScene() != null) {
        dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
      }
    }
    dialog.setTitle("Extend");
    dialog.setHeaderText(null);
    dialog.getDialogPane().setId("extend-dialog");
    dialog.getDialogPane().getStyleClass().add("confirmation");

    Label title = new Label("Extend " + what);
    title.getStyleClass().add("pane-title");
    Label now = new Label(countdownNow.isEmpty() ? "It has no end now."
        : "Now: " + countdownNow.replace("⏱ ", "") + ". The new time counts from now.");
    now.setWrapText(true);
    ToggleGroup group = new ToggleGroup();
    HBox presets = new HBox(10);
    List<ExtendChoice.Option> options = ExtendChoice.options(max);
    StringBuilder off = new StringBuilder();
    RadioButton firstAllowed = null;
    for (ExtendChoice.Option o : options) {
      RadioButton b = new RadioButton(o.label());
      b.setId("extend-" + o.ttl().toMinutes() + "m");
      b.setToggleGroup(group);
      b.setUserData(o.ttl());
      b.setDisable(!o.enabled());
      if (!o.enabled()) {
        off.append(off.isEmpty() ? "" : ", ").append(o.label());
      } else if (firstAllowed == null || o.ttl().equals(Duration.ofMinutes(30))) {
        firstAllowed = b;
      }
      presets.getChildren().add(b);
    }
    RadioButton custom = new RadioButton("Custom:");
    custom.setId("extend-custom");
    custom.setToggleGroup(group);
    TextField customText = new TextField();
    customText.setId("extend-custom-text");
    customText.setPromptText("e.g. 45m, 1h 30m");
    customText.setPrefColumnCount(10);
    customText.disableProperty().bind(custom.selectedProperty().not());
    HBox customLine = new HBox(8, custom, customText);
    customLine.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    Label cap = new Label(off.isEmpty() ? "At most " + ExtendChoice.capText(max) + "."
        : off + (off.indexOf(",") < 0 ? " is" : " are") + " off: longer than "
            + ExtendChoice.capText(max) + ".");
    cap.setId("extend-cap");
    cap.getStyleClass().add("hint");
    cap.setWrapText(true);
    Label problems = new Label();
    problems.setId("extend-problems");
    problems.getStyleClass().add("field-error");
    problems.setWrapText(true);
    problems.managedProperty().bind(problems.textProperty().isNotEmpty());
    problems.visibleProperty().bind(problems.managedProperty());
    VBox content = new VBox(10, title, now, new Label("Keep it for, from now:"), presets, customLine,
        cap, problems);
    content.setPadding(new Insets(8, 4, 4, 4));
    content.setPrefWidth(460);
    dialog.getDialogPane().setContent(content);

    ButtonType next = new ButtonType("Next: reason…", ButtonBar.ButtonData.OK_DONE);
    dialog.getDialogPane().getButtonTypes().addAll(next, ButtonType.CANCEL);
    Node nextButton = dialog.getDialogPane().lookupButton(next);
    nextButton.setId("extend-next");
    Supplier<ExtendChoice.Parsed> parsed = () -> {
      if (custom.isSelected()) {
        return ExtendChoice.custom(customText.getText(), max);
      }
      return group.getSelectedToggle() == null
          ? new ExtendChoice.Parsed(null, List.of("choose how long"))
          : new ExtendChoice.Parsed((Duration) group.getSelectedToggle().getUserData(), List.of());
    };
    Runnable check = () -> {
      ExtendChoice.Parsed p = parsed.get();
      problems.setText(custom.isSelected() ? String.join("\n", p.problems()) : "");
      nextButton.setDisable(p.ttl() == null);
    };
    group.selectedToggleProperty().addListener((o, a, b) -> check.run());
    customText.textProperty().addListener((o, a, b) -> check.run());
    if (firstAllowed != null) {
      firstAllowed.setSelected(true);
    } else {
      custom.setSelected(true);
    }
    check.run();
    dialog.setResultConverter(b -> b == next ? parsed.get().ttl() : null);
    dialog.setOnHidden(e -> {
      Duration ttl = dialog.getResult();
      if (ttl != null) {
        chosen.accept(ttl);
      }
    });
    dialog.show();
    return dialog;
  }
}
