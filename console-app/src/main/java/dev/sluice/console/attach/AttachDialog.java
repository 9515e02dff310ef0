package dev.sluice.console.attach;

import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.theme.ThemeManager;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.Observable;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The Attach dialog: a saved profile or a new connection (address, TLS with CA file and client
 * certificate/key, token, view-only), checked as the user types. Profiles are saved without the
 * token; tokens are remembered in this object, for the session only. FX thread only.
 */
public final class AttachDialog {
  private static final String NEW_CONNECTION = "New connection";

  private final ThemeManager themes;
  private final ProfileStore store;
  private final Map<String, String> sessionTokens = new HashMap<>();

  public AttachDialog(ThemeManager themes, ProfileStore store) {
    this.themes = themes;
    this.store = store;
  }

  /** Shows the dialog and waits; the target to attach, or empty when cancelled. */
  public Optional<GatewayTarget> ask(Window owner) {
    ProfileStore.Loaded loaded = store.load();
    Dialog<AttachForm> dialog = new Dialog<>();
    dialog.initOwner(owner);
    dialog.setTitle("Attach a gateway");
    dialog.setHeaderText("Admin API of a Sluice gateway agent");
    dialog.getDialogPane().getStyleClass().add("attach-dialog");
    themes.manage(dialog.getDialogPane().getScene());

    ComboBox<String> choice = new ComboBox<>();
    choice.setId("profile-choice");
    choice.getItems().add(NEW_CONNECTION);
    loaded.profiles().forEach(p -> choice.getItems().add(p.name()));
    choice.getSelectionModel().select(0);
    TextField name = field("profile-name", "e.g. prod-eu-1");
    TextField address = field("attach-address", "host:port, e.g. gw-1.internal:9901");
    CheckBox tls = new CheckBox("Use TLS");
    tls.setId("attach-tls");
    TextField ca = field("attach-ca", "PEM file to trust (empty: the system's roots)");
    TextField cert = field("attach-cert", "client certificate PEM, for mTLS");
    TextField key = field("attach-key", "client key PEM, for mTLS");
    PasswordField token = new PasswordField();
    token.setId("attach-token");
    token.setPromptText("bearer token (kept in memory for this session, never saved)");
    CheckBox viewOnly = new CheckBox("View only: this console sends no changes");
    viewOnly.setId("attach-view-only");
    CheckBox save = new CheckBox("Save as a profile (without the token)");
    save.setId("attach-save");
    Label problems = new Label(loaded.problem().orElse(""));
    problems.setId("attach-problems");
    problems.getStyleClass().add("error-text");
    problems.setWrapText(true);

    for (TextField tlsField : List.of(ca, cert, key)) {
      tlsField.disableProperty().bind(tls.selectedProperty().not());
    }
    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(8);
    int row = 0;
    grid.addRow(row++, new Label("Profile"), choice);
    grid.addRow(row++, new Label("Address"), address);
    grid.addRow(row++, new Label("Token"), token);
    grid.addRow(row++, new Label("Transport"), tls);
    grid.addRow(row++, new Label("CA file"), withBrowse(ca, owner, "CA certificate"));
    grid.addRow(row++, new Label("Client cert"), withBrowse(cert, owner, "client certificate"));
    grid.addRow(row++, new Label("Client key"), withBrowse(key, owner, "client key"));
    grid.add(viewOnly, 1, row++);
    grid.add(save, 1, row++);
    grid.addRow(row++, new Label("Profile name"), name);
    grid.add(problems, 1, row);
    GridPane.setHgrow(address, Priority.ALWAYS);
    name.disableProperty().bind(save.selectedProperty().not());
    dialog.getDialogPane().setContent(grid);
    dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
    Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
    ok.setId("attach-ok");

    Runnable check = () -> {
      AttachForm form = new AttachForm(name.getText(), address.getText(), tls.isSelected(),
          ca.getText(), cert.getText(), key.getText(), token.getText(), viewOnly.isSelected(),
          save.isSelected());
      List<String> found = address.getText().isBlank() ? List.of() : form.problems();
      problems.setText(String.join("\n", found));
      ok.setDisable(form.target().isEmpty());
    };
    for (Observable input : List.of(name.textProperty(), address.textProperty(),
        tls.selectedProperty(), ca.textProperty(), cert.textProperty(), key.textProperty(),
        viewOnly.selectedProperty(), save.selectedProperty())) {
      input.addListener(o -> check.run());
    }
    choice.getSelectionModel().selectedItemProperty().addListener((o, before, picked) ->
        loaded.profiles().stream().filter(p -> p.name().equals(picked)).findFirst().ifPresent(p -> {
          AttachForm form = AttachForm.of(p, sessionTokens.get(p.name()));
          name.setText(form.name());
          address.setText(form.address());
          tls.setSelected(form.tls());
          ca.setText(form.caFile());
          cert.setText(form.clientCert());
          key.setText(form.clientKey());
          token.setText(form.token());
          viewOnly.setSelected(form.viewOnly());
          save.setSelected(false);
        }));
    ok.setDisable(true);
    dialog.setResultConverter(button -> button == ButtonType.OK
        ? new AttachForm(name.getText(), address.getText(), tls.isSelected(), ca.getText(),
            cert.getText(), key.getText(), token.getText(), viewOnly.isSelected(),
            save.isSelected())
        : null);
    address.requestFocus();
    Optional<AttachForm> answered = dialog.showAndWait();
    answered.ifPresent(this::remember);
    return answered.flatMap(AttachForm::target);
  }

  private void remember(AttachForm form) {
    if (!form.name().isBlank() && !form.token().isBlank()) {
      sessionTokens.put(form.name().trim(), form.token());
    }
    if (form.save()) {
      try {
        store.save(form.profile());
      } catch (java.io.UncheckedIOException e) {
        // The attach goes ahead; only the profile is lost, and the user is told so.
        javafx.scene.control.Alert alert = new javafx.scene.control.Alert(
            javafx.scene.control.Alert.AlertType.WARNING,
            e.getMessage() + ": " + e.getCause().getMessage());
        alert.setHeaderText("The profile was not saved");
        themes.manage(alert.getDialogPane().getScene());
        alert.show();
      }
    }
  }

  private static TextField field(String id, String prompt) {
    TextField field = new TextField();
    field.setId(id);
    field.setPromptText(prompt);
    field.setPrefColumnCount(32);
    return field;
  }

  private static HBox withBrowse(TextField field, Window owner, String what) {
    Button browse = new Button("…");
    browse.disableProperty().bind(field.disabledProperty());
    browse.setOnAction(e -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle("Choose the " + what + " (PEM)");
      File picked = chooser.showOpenDialog(owner);
      if (picked != null) {
        field.setText(picked.getAbsolutePath());
      }
    });
    HBox box = new HBox(6, field, browse);
    HBox.setHgrow(field, Priority.ALWAYS);
    return box;
  }
}
