package dev.sluice.console.events;

import java.util.Locale;
import javafx.collections.transformation.FilteredList;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.jspecify.annotations.Nullable;

/** The live event list, newest first, with a text filter over kind and summary. */
public final class EventsView {
  private final BorderPane root = new BorderPane();
  private final TableView<EventsViewModel.EventRow> table = new TableView<>();

  public EventsView(EventsViewModel vm) {
    FilteredList<EventsViewModel.EventRow> filtered = new FilteredList<>(vm.rows());
    TextField filter = new TextField();
    filter.setId("event-filter");
    filter.setPromptText("Filter events (e.g. breaker, users, drain)");
    filter.setPrefColumnCount(30);
    filter.textProperty().addListener((o, a, text) -> {
      String t = text.trim().toLowerCase(Locale.ROOT);
      filtered.setPredicate(t.isEmpty() ? null
          : r -> r.kind().contains(t) || r.summary().toLowerCase(Locale.ROOT).contains(t));
    });
    table.setId("event-table");
    table.setItems(filtered);
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No events yet."));

    TableColumn<EventsViewModel.EventRow, String> time = column("Time", 80,
        EventsViewModel.EventRow::time);
    TableColumn<EventsViewModel.EventRow, String> kind = column("Kind", 80,
        EventsViewModel.EventRow::kind);
    kind.setCellFactory(c -> new TableCell<>() {
      {
        getStyleClass().add("kind-cell");
      }

      @Override
      protected void updateItem(@Nullable String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
      }
    });
    TableColumn<EventsViewModel.EventRow, String> summary = column("What happened", 700,
        EventsViewModel.EventRow::summary);
    table.getColumns().setAll(java.util.List.of(time, kind, summary));
    table.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(EventsViewModel.@Nullable EventRow item, boolean empty) {
        super.updateItem(item, empty);
        getStyleClass().removeAll("event-bad", "event-warn", "event-ok", "event-info");
        if (item != null && !empty) {
          getStyleClass().add(item.styleClass());
        }
      }
    });
    HBox toolbar = new HBox(filter);
    toolbar.getStyleClass().add("view-toolbar");
    root.setTop(toolbar);
    root.setCenter(table);
  }

  public Node node() {
    return root;
  }

  private static TableColumn<EventsViewModel.EventRow, String> column(
      String title, double width,
      java.util.function.Function<EventsViewModel.EventRow, String> value) {
    TableColumn<EventsViewModel.EventRow, String> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(
        value.apply(c.getValue())));
    return column;
  }
}
