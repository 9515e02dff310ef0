package dev.sluice.console;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.theme.ThemeManager;
import java.util.Optional;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * Asks for a gateway's admin address and token, validating as the user types. The token stays in
 * memory for the session and is never written anywhere.
 */
final class AttachDialog {
  private AttachDialog() {}

  static Optional<GatewayTarget> ask(Window owner, ThemeManager themes) {
    Dialog<GatewayTarget> dialog = new Dialog<>();
    dialog.initOwner(owner);
    dialog.setTitle("Attach a gateway");
    dialog.setHeaderText("Admin API address of a Sluice gateway agent");
    themes.manage(dialog.getDialogPane().getScene());
    TextField address = new TextField();
    address.setPromptText("host:port, e.g. gw-1.internal:9090");
    PasswordField token = new PasswordField();
    token.setPromptText("bearer token (kept in memory only)");
    Label problems = new Label();
    problems.getStyleClass().add("error-text");
    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(8);
    grid.addRow(0, new Label("Address"), address);
    grid.addRow(1, new Label("Token"), token);
    grid.add(problems, 1, 2);
    dialog.getDialogPane().setContent(grid);
    dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
    var ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
    ok.setDisable(true);
    address.textProperty().addListener((o, a, text) -> {
      var parsed = GatewayTarget.parse(text, token.getText());
      problems.setText(text.isBlank() ? "" : String.join("\n", parsed.problems()));
      ok.setDisable(parsed.target().isEmpty());
    });
    dialog.setResultConverter(button -> button == ButtonType.OK
        ? GatewayTarget.parse(address.getText(), token.getText()).target().orElse(null) : null);
    address.requestFocus();
    return dialog.showAndWait();
  }
}
