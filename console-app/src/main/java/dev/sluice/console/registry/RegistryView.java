package dev.sluice.console.registry;

import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.telemetry.Figures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.jspecify.annotations.Nullable;

/**
 * Services and their instances with every input to whether an instance serves, and Drain / Undrain
 * through the confirmation step given to the constructor.
 */
public final class RegistryView {
  private final RegistryViewModel vm;
  private final TreeTableView<InstanceRow> table = new TreeTableView<>();
  private final BorderPane root = new BorderPane();
  private final Consumer<PendingChange> confirm;
  private final javafx.beans.value.ObservableBooleanValue mayChange;
  private dev.sluice.console.safety.ExtendDialog extendDialog =
      new dev.sluice.console.safety.ExtendDialog(() -> java.time.Duration.ZERO);

  /** @param mayChange whether the session may drain; the actions are disabled if not */
  public RegistryView(RegistryViewModel vm, Consumer<PendingChange> confirm,
      javafx.beans.value.ObservableBooleanValue mayChange) {
    this.vm = vm;
    this.confirm = confirm;
    this.mayChange = mayChange;
    table.setId("registry-tree");
    table.setShowRoot(false);
    table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No services yet: waiting for the gateway's snapshot."));

    TreeTableColumn<InstanceRow, String> name = new TreeTableColumn<>("Service / instance");
    name.setPrefWidth(190);
    name.setCellValueFactory(c ->
        new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().getValue().label()));
    TreeTableColumn<InstanceRow, String> status = column("Status", InstanceRow::statusProperty, 260);
    status.setCellFactory(c -> new TreeTableCell<>() {
      {
        getStyleClass().add("status-cell");
      }

      @Override
      protected void updateItem(@Nullable String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
      }
    });
    table.getColumns().setAll(List.of(
        name,
        status,
        column("Drain ends", InstanceRow::countdownProperty, 130),
        column("Address", InstanceRow::addressProperty, 190),
        column("Registry", InstanceRow::registryHealthProperty, 80),
        column("Check", InstanceRow::checkHealthProperty, 90),
        number(column("RPS", r -> Bindings.createStringBinding(
            () -> Figures.rate(r.requestsPerSecondProperty().get()), r.requestsPerSecondProperty()), 80)),
        number(column("Failures/s", r -> r.failuresProperty().asString(), 80)),
        column("Registry status / reason", InstanceRow::registryDetailProperty, 260)));
    table.setRowFactory(t -> new InstanceTableRow());

    Button drain = new Button("Drain…");
    drain.setId("drain-instance");
    drain.setOnAction(e -> act(vm::drain));
    Button undrain = new Button("Undrain…");
    undrain.setId("undrain-instance");
    undrain.setOnAction(e -> act(vm::undrain));
    // Follows the selected instance's drained flag, which changes while it stays selected.
    javafx.beans.property.BooleanProperty selectedDrained =
        new javafx.beans.property.SimpleBooleanProperty();
    javafx.beans.property.BooleanProperty instanceSelected =
        new javafx.beans.property.SimpleBooleanProperty();
    table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
      selectedDrained.unbind();
      InstanceRow row = selectedInstance();
      instanceSelected.set(row != null);
      if (row == null) {
        selectedDrained.set(false);
      } else {
        selectedDrained.bind(row.drainedProperty());
      }
    });
    drain.disableProperty().bind(instanceSelected.not().or(selectedDrained)
        .or(Bindings.not(mayChange)));
    undrain.disableProperty().bind(instanceSelected.not().or(selectedDrained.not())
        .or(Bindings.not(mayChange)));
    Button extend = new Button("Extend drain…");
    extend.setId("extend-drain");
    extend.setOnAction(e -> {
      InstanceRow row = selectedInstance();
      if (row != null && mayChange.get()) {
        extendDialog.ask(table.getScene() == null ? null : table.getScene().getWindow(),
            "the drain of " + row.service() + "/" + row.instanceId(), row.countdownProperty().get(),
            ttl -> confirm.accept(vm.extendDrain(row, ttl)));
      }
    });
    javafx.beans.property.StringProperty selectedCountdown =
        new javafx.beans.property.SimpleStringProperty("");
    table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
      selectedCountdown.unbind();
      InstanceRow row = selectedInstance();
      if (row == null) {
        selectedCountdown.set("");
      } else {
        selectedCountdown.bind(row.countdownProperty());
      }
    });
    extend.disableProperty().bind(selectedCountdown.isEmpty().or(Bindings.not(mayChange)));
    Label hint = new Label("A drained instance gets no new requests; requests in flight finish.");
    hint.getStyleClass().add("hint");
    HBox toolbar = new HBox(drain, undrain, extend, hint);
    toolbar.getStyleClass().add("view-toolbar");
    root.setTop(toolbar);
    root.setCenter(table);
    Label staleBanner = new Label();
    staleBanner.setId("registry-stale-banner");
    staleBanner.getStyleClass().add("registry-stale-banner");
    staleBanner.setWrapText(true);
    staleBanner.setMaxWidth(Double.MAX_VALUE);
    staleBanner.textProperty().bind(vm.registryWarningProperty());
    staleBanner.visibleProperty().bind(vm.registryWarningProperty().isNotEmpty());
    staleBanner.managedProperty().bind(staleBanner.visibleProperty());
    root.setTop(new javafx.scene.layout.VBox(staleBanner, root.getTop()));

    vm.layoutProperty().addListener((o, a, b) -> rebuild());
    rebuild();
  }

  public Node node() {
    return root;
  }

  /** How Extend drain asks for the new time-to-live (capped by the agent's maximum). */
  public void setExtendDialog(dev.sluice.console.safety.ExtendDialog dialog) {
    extendDialog = dialog;
  }

  public TreeTableView<InstanceRow> table() {
    return table;
  }

  /** Drains the selected instance, if one is selected. */
  public void drainSelected() {
    InstanceRow row = selectedInstance();
    if (row != null && !row.drainedProperty().get() && mayChange.get()) {
      confirm.accept(vm.drain(row));
    }
  }

  private @Nullable InstanceRow selectedInstance() {
    TreeItem<InstanceRow> item = table.getSelectionModel().getSelectedItem();
    return item == null || item.getValue().instanceId() == null ? null : item.getValue();
  }

  private void act(Function<InstanceRow, PendingChange> action) {
    InstanceRow row = selectedInstance();
    if (row != null && mayChange.get()) {
      confirm.accept(action.apply(row));
    }
  }

  private void rebuild() {
    Map<String, Boolean> expanded = new HashMap<>();
    TreeItem<InstanceRow> root = new TreeItem<>(null);
    for (InstanceRow service : vm.services()) {
      TreeItem<InstanceRow> s = new TreeItem<>(service);
      s.setExpanded(expanded.getOrDefault(service.service(), true));
      for (InstanceRow instance : vm.instances(service)) {
        s.getChildren().add(new TreeItem<>(instance));
      }
      root.getChildren().add(s);
    }
    table.setRoot(root);
  }

  private static TreeTableColumn<InstanceRow, String> column(
      String title, Function<InstanceRow, ObservableValue<String>> value, double width) {
    TreeTableColumn<InstanceRow, String> column = new TreeTableColumn<>(title);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> value.apply(c.getValue().getValue()));
    return column;
  }

  private static TreeTableColumn<InstanceRow, String> number(
      TreeTableColumn<InstanceRow, String> column) {
    column.setCellFactory(c -> new TreeTableCell<>() {
      {
        getStyleClass().add("number");
      }

      @Override
      protected void updateItem(@Nullable String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
      }
    });
    return column;
  }

  /** Style classes: service-row, instance-serving, instance-drained, instance-down. */
  private static final class InstanceTableRow extends TreeTableRow<InstanceRow> {
    private final javafx.beans.InvalidationListener restyle = o -> mark(getItem());

    @Override
    protected void updateItem(@Nullable InstanceRow row, boolean empty) {
      InstanceRow before = getItem();
      if (before != null) {
        before.servingProperty().removeListener(restyle);
        before.drainedProperty().removeListener(restyle);
      }
      super.updateItem(row, empty);
      if (row != null && !empty) {
        row.servingProperty().addListener(restyle);
        row.drainedProperty().addListener(restyle);
      }
      mark(empty ? null : row);
    }

    private void mark(@Nullable InstanceRow row) {
      getStyleClass().removeAll("service-row", "service-degraded", "instance-serving",
          "instance-drained", "instance-down");
      if (row == null) {
        return;
      }
      if (row.instanceId() == null) {
        getStyleClass().add("service-row");
        if (!row.servingProperty().get()) {
          getStyleClass().add("service-degraded");
        }
      } else if (row.drainedProperty().get()) {
        getStyleClass().add("instance-drained");
      } else {
        getStyleClass().add(row.servingProperty().get() ? "instance-serving" : "instance-down");
      }
    }
  }
}
