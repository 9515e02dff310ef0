package dev.sluice.console.editors;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The route editor's filter section: one box per filter with its settings and Remove, and Add
 * filter with the type to add. Rebuilt whenever the form's list changes, so each field's path
 * ({@code route.filters[1].headers}) always names its place in the list that will be sent.
 */
final class FiltersEditor {
  private final RouteForm form;
  private final EditorDialog dialog;
  private final VBox filters = new VBox(8);
  private final VBox root;

  FiltersEditor(RouteForm form, EditorDialog dialog) {
    this.form = form;
    this.dialog = dialog;
    Label title = new Label("Filters");
    title.getStyleClass().add("section-title");
    Label hint = new Label("The gateway runs them in its fixed order: CORS, authentication, request"
        + " validation, response size. A value shown as <redacted…> keeps the current secret;"
        + " type a new value to replace it.");
    hint.getStyleClass().add("hint");
    hint.setWrapText(true);
    hint.setMaxWidth(540);
    filters.setId("edit-filters");

    ComboBox<String> type = new ComboBox<>();
    type.setId("filter-type");
    type.getItems().setAll(FilterForm.NAMES);
    type.setValue("request-validation");
    Button add = new Button("Add filter");
    add.setId("filter-add");
    add.setOnAction(e -> {
      if (type.getValue() != null) {
        form.addFilter(type.getValue());
        Node added = filters.getChildren().get(filters.getChildren().size() - 1);
        dialog.revealEnd(added);
      }
    });
    HBox adding = new HBox(8, type, add);
    adding.setAlignment(Pos.CENTER_LEFT);
    root = new VBox(6, title, hint, filters, adding);
    form.filters().addListener((ListChangeListener<FilterForm>) c -> {
      rebuild();
      dialog.changed();
    });
    rebuild();
  }

  Node node() {
    return root;
  }

  private void rebuild() {
    filters.getChildren().clear();
    if (form.filters().isEmpty()) {
      Label none = new Label("No filters: requests go straight to the rate limit and the service.");
      none.getStyleClass().add("muted");
      filters.getChildren().add(none);
    }
    for (int i = 0; i < form.filters().size(); i++) {
      filters.getChildren().add(box(i, form.filters().get(i)));
    }
  }

  private Node box(int index, FilterForm filter) {
    String path = "route.filters[" + index + "]";
    Label name = new Label(filter.name());
    name.getStyleClass().add("filter-name");
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    Button remove = new Button("Remove");
    remove.setId("filter-remove-" + index);
    remove.setOnAction(e -> form.filters().remove(filter));
    HBox head = new HBox(8, name, spring, remove);
    head.setAlignment(Pos.CENTER_LEFT);

    GridPane grid = new GridPane();
    grid.setHgap(10);
    grid.setVgap(4);
    ColumnConstraints labels = new ColumnConstraints();
    // One label width in every box, so the filters' fields line up with each other.
    labels.setMinWidth(150);
    ColumnConstraints values = new ColumnConstraints();
    values.setHgrow(Priority.ALWAYS);
    grid.getColumnConstraints().setAll(labels, values);
    int row = 0;
    if (filter.fields().isEmpty()) {
      grid.addRow(row++, new Label("This filter has no settings to edit here."));
    }
    for (FilterForm.Field field : filter.fields()) {
      Control control = control(index, field);
      control.setMaxWidth(Double.MAX_VALUE);
      dialog.decorate(control, path + "." + field.key(), field.text());
      grid.addRow(row++, new Label(field.label()), control);
    }
    VBox box = new VBox(6, head, grid);
    box.getStyleClass().add("filter-editor");
    box.setId("filter-" + index);
    return box;
  }

  private static Control control(int index, FilterForm.Field field) {
    String id = "filter-" + index + "-" + field.key();
    return switch (field.kind()) {
      case FLAG -> {
        ComboBox<String> flag = new ComboBox<>();
        flag.setId(id);
        flag.getItems().setAll("", "true", "false");
        flag.setPromptText("default");
        flag.valueProperty().bindBidirectional(field.text());
        yield flag;
      }
      case JSON_LIST, JSON_OBJECT, JSON -> {
        TextArea area = new TextArea();
        area.setId(id);
        area.getStyleClass().add("settings-json");
        area.setPromptText(field.prompt());
        area.setWrapText(true);
        area.setPrefRowCount(Math.max(2, Math.min(6, (int) field.text().get().lines().count())));
        area.textProperty().bindBidirectional(field.text());
        yield area;
      }
      case TEXT, LIST -> EditorDialog.text(id, field.text(), field.prompt());
    };
  }
}
