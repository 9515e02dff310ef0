package dev.sluice.console.safety;

import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.editors.ChangeDiff;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The audit log: who changed what, why, and how it ended (applied, denied, conflict, expired…),
 * the selected entry's before/after diff, and Revert through the confirmation step given to the
 * constructor.
 */
public final class AuditView {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final AuditViewModel vm;
  private final BorderPane root = new BorderPane();
  private final TableView<AuditEntry> table = new TableView<>();

  /** @param mayChange whether the session may revert; the action is disabled if not */
  public AuditView(AuditViewModel vm, Consumer<PendingChange> confirm, ObservableBooleanValue mayChange) {
    this.vm = vm;
    root.getStyleClass().add("audit-view");
    root.setId("audit-view");
    table.setId("audit-table");
    table.setItems(vm.shown());
    Label placeholder = new Label();
    placeholder.textProperty().bind(Bindings.when(vm.filterProperty().isEmpty())
        .then("No audit entries yet.")
        .otherwise("No loaded entry matches the filter; Load older searches further back."));
    table.setPlaceholder(placeholder);
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.getColumns().add(text("Id", AuditEntry::getId, 90));
    table.getColumns().add(text("Time", e -> TIME.format(
        Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos())), 110));
    table.getColumns().add(text("Who", e -> e.getPrincipal(), 90));
    table.getColumns().add(text("Change", AuditEntry::getRpc, 150));
    table.getColumns().add(text("Target", AuditEntry::getTarget, 170));
    table.getColumns().add(text("Outcome", AuditView::outcome, 110));
    table.getColumns().add(text("Reason", e -> e.getReason()
        + (e.getRevertsEntryId().isEmpty() ? "" : "  (reverts " + e.getRevertsEntryId() + ")")
        + (e.getBelowFloor() ? "  (below the floor)" : ""), 260));
    table.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(@Nullable AuditEntry item, boolean empty) {
        super.updateItem(item, empty);
        getStyleClass().removeAll("audit-refused", "audit-expired");
        if (!empty && item != null && !AuditViewModel.revertible(item)
            && item.getOutcome() != AuditOutcome.AUDIT_OUTCOME_VALIDATED) {
          getStyleClass().add("audit-refused");
        } else if (!empty && item != null && item.getOutcome() == AuditOutcome.AUDIT_OUTCOME_EXPIRED) {
          getStyleClass().add("audit-expired");
        }
      }
    });

    Button refresh = new Button("Refresh");
    refresh.setId("audit-refresh");
    refresh.setOnAction(e -> vm.load());
    Button revert = new Button("Revert…");
    revert.setId("audit-revert");
    revert.disableProperty().bind(Bindings.createBooleanBinding(() -> {
      AuditEntry e = table.getSelectionModel().getSelectedItem();
      return e == null || !AuditViewModel.revertible(e) || !mayChange.get();
    }, table.getSelectionModel().selectedItemProperty(), mayChange));
    revert.setOnAction(e -> {
      AuditEntry entry = table.getSelectionModel().getSelectedItem();
      if (entry != null) {
        vm.revert(entry).thenAccept(change -> change.ifPresent(confirm));
      }
    });
    Label message = new Label();
    message.setId("audit-message");
    message.getStyleClass().add("muted");
    message.textProperty().bind(vm.messageProperty());
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    Label hint = new Label("Revert applies the entry's before-state as a new, audited change.");
    hint.getStyleClass().add("hint");
    HBox toolbar = new HBox(8, refresh, revert, message, spring, hint);
    toolbar.getStyleClass().add("view-toolbar");
    toolbar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

    TextField filter = new TextField();
    filter.setId("audit-filter");
    filter.setPromptText("Filter loaded entries: who, change, target, reason…");
    filter.setPrefColumnCount(30);
    vm.filterProperty().bind(filter.textProperty());
    Label loaded = new Label();
    loaded.setId("audit-loaded");
    loaded.getStyleClass().add("muted");
    loaded.textProperty().bind(vm.loadedProperty());
    Button older = new Button("Load older");
    older.setId("audit-load-older");
    older.disableProperty().bind(vm.moreAvailableProperty().not().or(vm.loadingProperty()));
    older.setOnAction(e -> vm.loadOlder());
    Label pagingHint = new Label("Scrolling to the end loads older entries too.");
    pagingHint.getStyleClass().add("hint");
    HBox paging = new HBox(8, filter, loaded, older, pagingHint);
    paging.getStyleClass().add("view-toolbar");
    paging.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    table.skinProperty().addListener((o, a, skin) -> loadOlderAtTheEnd());

    ListView<ChangeDiff.Line> diff = new ListView<>();
    diff.setId("audit-diff");
    diff.setPlaceholder(new Label("Select an entry to see what it changed."));
    table.getSelectionModel().selectedItemProperty().addListener((o, a, entry) ->
        diff.getItems().setAll(entry == null ? java.util.List.of() : AuditViewModel.diff(entry)));
    Label detailTitle = new Label("What the entry changed");
    detailTitle.getStyleClass().add("section-title");
    VBox detail = new VBox(4, detailTitle, diff);
    detail.getStyleClass().add("editor");
    VBox.setVgrow(diff, Priority.ALWAYS);
    SplitPane split = new SplitPane(table, detail);
    split.setOrientation(javafx.geometry.Orientation.VERTICAL);
    split.setDividerPositions(0.7);
    root.setTop(new VBox(toolbar, paging));
    root.setCenter(split);
    vm.load();
  }

  public Parent node() {
    return root;
  }

  /** Loads the next older page when the table is scrolled to its end. */
  private void loadOlderAtTheEnd() {
    for (Node n : table.lookupAll(".scroll-bar")) {
      if (n instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
        bar.valueProperty().addListener((o, a, b) -> {
          if (b.doubleValue() >= bar.getMax() && bar.getMax() > bar.getMin()) {
            vm.loadOlder();
          }
        });
      }
    }
  }

  public TableView<AuditEntry> table() {
    return table;
  }

  private static String outcome(AuditEntry e) {
    return switch (e.getOutcome()) {
      case AUDIT_OUTCOME_APPLIED -> "✓ applied";
      case AUDIT_OUTCOME_DENIED -> "✕ denied";
      case AUDIT_OUTCOME_INVALID -> "✕ invalid";
      case AUDIT_OUTCOME_CONFLICT -> "✕ conflict";
      case AUDIT_OUTCOME_REFUSED -> "✕ refused";
      case AUDIT_OUTCOME_EXPIRED -> "⏱ expired";
      case AUDIT_OUTCOME_VALIDATED -> "○ checked only";
      default -> "";
    };
  }

  private static TableColumn<AuditEntry, String> text(String title, Function<AuditEntry, String> value,
      double width) {
    TableColumn<AuditEntry, String> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
    return column;
  }
}
