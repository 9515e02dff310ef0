package dev.sluice.console.breakers;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.console.confirm.PendingChange;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.jspecify.annotations.Nullable;

/**
 * Every service's breaker: the effect on traffic, the computed state and the override side by side,
 * rates over the window and time in state, with Trip, Force closed and Reset. Each action goes to
 * the confirmation step given to the constructor.
 */
public final class BreakersView {
  private final BreakersViewModel vm;
  private final TableView<BreakerRow> table = new TableView<>();
  private final BorderPane root = new BorderPane();
  private final Consumer<PendingChange> confirm;
  private final javafx.beans.value.ObservableBooleanValue mayChange;
  private dev.sluice.console.safety.ExtendDialog extendDialog =
      new dev.sluice.console.safety.ExtendDialog(() -> java.time.Duration.ZERO);

  /** @param mayChange whether the session may change breakers; the actions are disabled if not */
  public BreakersView(BreakersViewModel vm, Consumer<PendingChange> confirm,
      javafx.beans.value.ObservableBooleanValue mayChange) {
    this.vm = vm;
    this.confirm = confirm;
    this.mayChange = mayChange;
    table.setId("breaker-table");
    table.setItems(vm.rows());
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No breakers yet: waiting for the gateway's snapshot."));

    TableColumn<BreakerRow, String> service = new TableColumn<>("Service");
    service.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().service()));
    service.setPrefWidth(130);

    TableColumn<BreakerRow, BreakerBadge> effect = new TableColumn<>("Effect");
    effect.setId("col-effect");
    effect.setPrefWidth(150);
    effect.setCellValueFactory(c -> Bindings.createObjectBinding(c.getValue()::badge,
        c.getValue().computedProperty(), c.getValue().overrideProperty(),
        c.getValue().countdownProperty()));
    effect.setCellFactory(c -> new BadgeCell<>(Function.identity()));

    TableColumn<BreakerRow, BreakerState> computed = new TableColumn<>("Computed");
    computed.setPrefWidth(120);
    computed.setCellValueFactory(c -> c.getValue().computedProperty());
    computed.setCellFactory(c -> new BadgeCell<>(s -> new BreakerBadge(s,
        BreakerOverride.BREAKER_OVERRIDE_NONE)));

    TableColumn<BreakerRow, String> override = new TableColumn<>("Override");
    override.setPrefWidth(300);
    override.setCellValueFactory(c -> Bindings.createStringBinding(() -> {
      BreakerRow row = c.getValue();
      String text = BreakerBadge.overrideText(row.overrideProperty().get());
      String by = row.overrideByProperty().get();
      String countdown = row.countdownProperty().get();
      return by.isEmpty() || row.overrideProperty().get() == BreakerOverride.BREAKER_OVERRIDE_NONE
          ? text : text + (countdown.isEmpty() ? "" : " · " + countdown) + " by " + by;
    }, c.getValue().overrideProperty(), c.getValue().overrideByProperty(),
        c.getValue().countdownProperty()));
    override.setCellFactory(c -> new TableCell<>() {
      @Override
      protected void updateItem(@Nullable String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
        setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(item));
        getStyleClass().remove("override-active");
        if (!empty && item != null && !item.equals("none")) {
          getStyleClass().add("override-active");
        }
      }
    });

    table.getColumns().setAll(java.util.List.of(service, effect, computed, override,
        text("Failure rate", BreakerRow::failureRateProperty),
        text("Slow calls", BreakerRow::slowCallRateProperty),
        text("Window calls", r -> r.callsInWindowProperty().asString()),
        text("In state for", BreakerRow::timeInStateProperty)));

    Button trip = new Button("Trip…");
    trip.setId("trip-breaker");
    trip.setOnAction(e -> act(vm::trip));
    Button forceClose = new Button("Force closed…");
    forceClose.setId("force-close-breaker");
    forceClose.setOnAction(e -> act(vm::forceClose));
    Button reset = new Button("Reset…");
    reset.setId("reset-breaker");
    reset.setOnAction(e -> act(vm::reset));
    for (Button b : java.util.List.of(trip, forceClose, reset)) {
      b.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
          .or(Bindings.not(mayChange)));
    }
    Button extend = new Button("Extend…");
    extend.setId("extend-override");
    extend.setOnAction(e -> {
      BreakerRow row = table.getSelectionModel().getSelectedItem();
      if (row != null && mayChange.get()) {
        extendDialog.ask(table.getScene() == null ? null : table.getScene().getWindow(),
            "the override of breaker " + row.service(), row.countdownProperty().get(),
            ttl -> confirm.accept(vm.extend(row, ttl)));
      }
    });
    Button end = new Button("End now…");
    end.setId("end-override");
    end.setOnAction(e -> act(vm::reset));
    // Follows the selected breaker's override, which changes while it stays selected.
    javafx.beans.property.ObjectProperty<BreakerOverride> selectedOverride =
        new javafx.beans.property.SimpleObjectProperty<>(BreakerOverride.BREAKER_OVERRIDE_NONE);
    javafx.beans.property.StringProperty selectedCountdown =
        new javafx.beans.property.SimpleStringProperty("");
    table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
      selectedOverride.unbind();
      selectedCountdown.unbind();
      if (row == null) {
        selectedOverride.set(BreakerOverride.BREAKER_OVERRIDE_NONE);
        selectedCountdown.set("");
      } else {
        selectedOverride.bind(row.overrideProperty());
        selectedCountdown.bind(row.countdownProperty());
      }
    });
    end.disableProperty().bind(selectedOverride.isEqualTo(BreakerOverride.BREAKER_OVERRIDE_NONE)
        .or(Bindings.not(mayChange)));
    extend.disableProperty().bind(selectedCountdown.isEmpty().or(Bindings.not(mayChange)));
    Label hint = new Label("Trip forces a breaker open (its routes answer 503); the computed"
        + " state stays visible beside any override.");
    hint.getStyleClass().add("hint");
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    HBox toolbar = new HBox(trip, forceClose, reset, extend, end, spring, hint);
    toolbar.getStyleClass().add("view-toolbar");
    root.setTop(toolbar);
    root.setCenter(table);
    root.setBottom(detail());
  }

  private Node detail() {
    Label title = new Label("Select a breaker");
    title.getStyleClass().add("pane-title");
    Label routes = new Label();
    Label settings = new Label();
    Label instances = new Label();
    settings.getStyleClass().add("muted");
    instances.getStyleClass().add("muted");
    for (Label l : java.util.List.of(routes, settings, instances)) {
      l.setWrapText(true);
    }
    table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
      settings.textProperty().unbind();
      instances.textProperty().unbind();
      if (row == null) {
        title.setText("Select a breaker");
        routes.setText("");
        settings.setText("");
        instances.setText("");
        return;
      }
      title.setText("Breaker " + row.service());
      routes.setText("Routes through it (the blast radius of a trip): "
          + (row.routeIds().isEmpty() ? "none" : String.join(", ", row.routeIds())));
      settings.textProperty().bind(row.settingsProperty());
      instances.textProperty().bind(row.instancesProperty());
    });
    javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(6, title, routes, settings, instances);
    box.getStyleClass().add("detail-pane");
    box.setMinHeight(150);
    return box;
  }

  public Node node() {
    return root;
  }

  /** How Extend asks for the new time-to-live (capped by the agent's maximum). */
  public void setExtendDialog(dev.sluice.console.safety.ExtendDialog dialog) {
    extendDialog = dialog;
  }

  public TableView<BreakerRow> table() {
    return table;
  }

  /** Trips the breaker of {@code service} (from the route tree's shortcut). */
  public void tripService(String service) {
    if (mayChange.get()) {
      vm.row(service).ifPresent(row -> confirm.accept(vm.trip(row)));
    }
  }

  /** Trips the selected breaker, if one is selected. */
  public void tripSelected() {
    act(vm::trip);
  }

  private void act(Function<BreakerRow, PendingChange> action) {
    BreakerRow row = table.getSelectionModel().getSelectedItem();
    if (row != null && mayChange.get()) {
      confirm.accept(action.apply(row));
    }
  }

  private static TableColumn<BreakerRow, String> text(
      String title, Function<BreakerRow, ObservableValue<String>> value) {
    TableColumn<BreakerRow, String> column = new TableColumn<>(title);
    column.setPrefWidth(100);
    column.setCellValueFactory(c -> value.apply(c.getValue()));
    column.setCellFactory(c -> new TableCell<>() {
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

  /** A state badge: glyph, word and style class. */
  private static final class BadgeCell<T> extends TableCell<BreakerRow, T> {
    private final Function<T, BreakerBadge> toBadge;
    private final Label badge = new Label();

    BadgeCell(Function<T, BreakerBadge> toBadge) {
      this.toBadge = toBadge;
      badge.getStyleClass().add("badge");
    }

    @Override
    protected void updateItem(@Nullable T item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setGraphic(null);
        return;
      }
      BreakerBadge b = toBadge.apply(item);
      badge.setText(b.text());
      badge.getStyleClass().removeAll(BreakerBadge.STYLE_CLASSES);
      badge.getStyleClass().add(b.styleClass());
      setGraphic(badge);
    }
  }
}
