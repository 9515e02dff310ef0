package dev.sluice.console.routes;

import dev.sluice.console.breakers.BreakerBadge;
import dev.sluice.console.telemetry.Figures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.controlsfx.control.textfield.CustomTextField;
import org.jspecify.annotations.Nullable;

/**
 * The route tree: a {@code TreeTableView} over {@link RoutesViewModel}, a search box and a minimum-RPS
 * filter, and the selected route's detail beside it. Cells follow live values; rows re-order only on
 * the view model's calm cadence (every {@value #REORDER_SECONDS} s, worked out off the UI thread and
 * shown with the next frame) or on request, and the selection is carried across every re-order.
 */
public final class RoutesView {
  static final int REORDER_SECONDS = 3;

  private final RoutesViewModel vm;
  private final TreeTableView<RouteRow> table = new TreeTableView<>();
  private final CustomTextField search = new CustomTextField();
  private final Map<RouteRow, TreeItem<RouteRow>> items = new HashMap<>();
  private final RouteDetailView detail;
  private final BorderPane root = new BorderPane();
  private final Timeline calm;
  private RoutesViewModel.@Nullable Column sortedBy;
  private final Button newRoute = new Button("New route…");
  private java.util.function.Consumer<dev.sluice.admin.v1.Route> editRoute = r -> { };
  private boolean ascending;

  public RoutesView(RoutesViewModel vm, ObservableValue<Number> framesApplied) {
    this.vm = vm;
    this.detail = new RouteDetailView(framesApplied);

    search.setId("route-search");
    search.setPromptText("Filter routes by path, id or service  (Ctrl+F)");
    Label glyph = new Label("⌕");
    glyph.getStyleClass().add("muted");
    search.setLeft(glyph);
    search.setPrefColumnCount(32);
    vm.filterProperty().bind(search.textProperty());

    ComboBox<Double> minimum = new ComboBox<>();
    minimum.getItems().setAll(0.0, 1.0, 10.0, 50.0, 100.0);
    minimum.setValue(0.0);
    minimum.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(@Nullable Double d) {
        return d == null || d == 0 ? "any RPS" : "≥ " + Figures.rate(d) + " RPS";
      }

      @Override
      public Double fromString(String s) {
        return 0.0;
      }
    });
    minimum.valueProperty().addListener((o, a, b) -> vm.minimumRpsProperty().set(b == null ? 0 : b));

    Button resort = new Button("Re-sort now");
    resort.setOnAction(e -> vm.reorder());
    Label count = new Label();
    count.getStyleClass().add("muted");
    vm.layoutProperty().addListener((o, a, b) -> count.setText(vm.routeCount() + " routes"));
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    newRoute.setId("new-route");
    newRoute.setDisable(true);
    HBox toolbar = new HBox(search, minimum, resort, newRoute, spring, count);
    toolbar.getStyleClass().add("view-toolbar");

    buildTable();
    table.getSelectionModel().selectedItemProperty().addListener((o, before, after) ->
        detail.show(after == null ? null : after.getValue()));

    SplitPane split = new SplitPane(table, detail.node());
    split.setDividerPositions(0.7);
    SplitPane.setResizableWithParent(detail.node(), false);
    root.setTop(toolbar);
    root.setCenter(split);

    vm.layoutProperty().addListener((o, a, b) -> sync());
    framesApplied.addListener(new javafx.beans.InvalidationListener() {
      @Override
      public void invalidated(javafx.beans.Observable o) {
        // Open on the busiest route once, so the detail pane is not empty at first sight.
        framesApplied.removeListener(this);
        if (table.getSelectionModel().isEmpty()) {
          vm.reorder();
          items.entrySet().stream()
              .filter(e -> e.getKey().hotProperty().get())
              .max(java.util.Comparator.comparingDouble(
                  e -> e.getKey().requestsPerSecondProperty().get()))
              .ifPresent(e -> table.getSelectionModel().select(e.getValue()));
        }
      }
    });
    sync();
    calm = new Timeline(new KeyFrame(Duration.seconds(REORDER_SECONDS),
        e -> vm.reorderInBackground()));
    calm.setCycleCount(Timeline.INDEFINITE);
    calm.play();
  }

  public Node node() {
    return root;
  }

  public TreeTableView<RouteRow> table() {
    return table;
  }

  public void focusSearch() {
    search.requestFocus();
    search.selectAll();
  }

  /**
   * Offers Edit route and Edit limit in the detail pane while {@code mayChange} holds; the
   * actions get the selected route as the console last read it.
   */
  public void enableEditing(javafx.beans.value.ObservableBooleanValue mayChange,
      java.util.function.Consumer<dev.sluice.admin.v1.Route> editRoute,
      java.util.function.Consumer<dev.sluice.admin.v1.Route> editLimit) {
    detail.editableProperty().bind(mayChange);
    this.editRoute = editRoute;
    detail.setOnEdit(editRoute);
    detail.setOnEditLimit(editLimit);
  }

  /**
   * Offers New route… (toolbar and the tree's context menu) while {@code mayChange} holds, and
   * Delete route… (detail and context menu) for a selected route {@code mayChangeRoute} accepts.
   */
  public void enableRouteLifecycle(javafx.beans.value.ObservableBooleanValue mayChange,
      Runnable createRoute, java.util.function.Consumer<dev.sluice.admin.v1.Route> deleteRoute,
      java.util.function.Predicate<dev.sluice.admin.v1.Route> mayChangeRoute) {
    newRoute.disableProperty().bind(javafx.beans.binding.Bindings.not(mayChange));
    newRoute.setOnAction(e -> createRoute.run());
    detail.setOnDelete(deleteRoute, mayChangeRoute);
    javafx.scene.control.MenuItem create = new javafx.scene.control.MenuItem("New route…");
    create.setId("menu-new-route");
    create.setOnAction(e -> createRoute.run());
    javafx.scene.control.MenuItem edit = new javafx.scene.control.MenuItem("Edit route…");
    edit.setId("menu-edit-route");
    javafx.scene.control.MenuItem delete = new javafx.scene.control.MenuItem("Delete route…");
    delete.setId("menu-delete-route");
    javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(create, edit, delete);
    menu.setOnShowing(e -> {
      RouteRow row = selected();
      dev.sluice.admin.v1.Route route = row == null ? null : row.route();
      create.setDisable(!mayChange.get());
      edit.setDisable(route == null || !mayChange.get());
      delete.setDisable(route == null || !mayChangeRoute.test(route));
      edit.setOnAction(a -> editRoute.accept(route));
      delete.setOnAction(a -> deleteRoute.accept(route));
    });
    table.setContextMenu(menu);
  }

  /** The route row the user selected, if any. */
  public @Nullable RouteRow selected() {
    TreeItem<RouteRow> item = table.getSelectionModel().getSelectedItem();
    return item == null ? null : item.getValue();
  }

  public ReadOnlyObjectProperty<TreeItem<RouteRow>> selectedItemProperty() {
    return table.getSelectionModel().selectedItemProperty();
  }

  private void buildTable() {
    table.setId("route-tree");
    table.setShowRoot(false);
    table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No routes yet: waiting for the gateway's snapshot."));

    TreeTableColumn<RouteRow, RouteRow> path = new TreeTableColumn<>("Path");
    path.setId("col-path");
    path.setPrefWidth(360);
    path.setMinWidth(240);
    path.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue().getValue()));
    path.setCellFactory(c -> new PathCell());

    table.getColumns().setAll(List.of(
        path,
        number("RPS", "col-rps", RouteRow::requestsPerSecondProperty,
            v -> Figures.rate(v.doubleValue()), RoutesViewModel.Column.RPS, (cell, v) -> { }),
        number("p50", "col-p50", RouteRow::p50MicrosProperty,
            v -> Figures.latency(v.longValue()), RoutesViewModel.Column.P50, (cell, v) -> { }),
        number("p99", "col-p99", RouteRow::p99MicrosProperty,
            v -> Figures.latency(v.longValue()), RoutesViewModel.Column.P99, (cell, v) -> { }),
        number("Errors", "col-errors", RouteRow::errorPercentProperty,
            v -> Figures.percent(v.doubleValue()), RoutesViewModel.Column.ERRORS,
            (cell, v) -> {
              cell.getStyleClass().removeAll("errors-some", "errors-high");
              if (v.doubleValue() >= 5) {
                cell.getStyleClass().add("errors-high");
              } else if (v.doubleValue() > 0) {
                cell.getStyleClass().add("errors-some");
              }
            }),
        number("429/s", "col-limited", RouteRow::rateLimitedPerSecondProperty,
            v -> v.doubleValue() == 0 ? "" : Figures.rate(v.doubleValue()),
            RoutesViewModel.Column.RATE_LIMITED,
            (cell, v) -> {
              cell.getStyleClass().remove("rate-limited-some");
              if (v.doubleValue() > 0) {
                cell.getStyleClass().add("rate-limited-some");
              }
            }),
        breakerColumn(),
        limitColumn()));
    path.setUserData(RoutesViewModel.Column.PATH);

    table.setSortPolicy(t -> {
      applySort();
      return true;
    });
    table.setRowFactory(t -> new RouteTableRow());
  }

  private void applySort() {
    RoutesViewModel.@Nullable Column column = null;
    boolean asc = true;
    if (!table.getSortOrder().isEmpty()) {
      TreeTableColumn<RouteRow, ?> first = table.getSortOrder().get(0);
      column = (RoutesViewModel.Column) first.getUserData();
      asc = first.getSortType() == TreeTableColumn.SortType.ASCENDING;
    }
    if (column != sortedBy || asc != ascending) {
      sortedBy = column;
      ascending = asc;
      vm.sortBy(column, asc);
    }
  }

  private <T extends Number> TreeTableColumn<RouteRow, Number> number(
      String title, String id, Function<RouteRow, ObservableValue<T>> value,
      Function<Number, String> format, RoutesViewModel.Column sortKey,
      java.util.function.BiConsumer<TreeTableCell<RouteRow, Number>, Number> style) {
    TreeTableColumn<RouteRow, Number> column = new TreeTableColumn<>(title);
    column.setId(id);
    column.setUserData(sortKey);
    column.setPrefWidth(76);
    column.setMinWidth(64);
    column.setCellValueFactory(c -> {
      @SuppressWarnings("unchecked")
      ObservableValue<Number> v = (ObservableValue<Number>) value.apply(c.getValue().getValue());
      return v;
    });
    column.setCellFactory(c -> new TreeTableCell<>() {
      {
        getStyleClass().add("number");
      }

      @Override
      protected void updateItem(@Nullable Number item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
          setText(null);
          getStyleClass().removeAll("errors-some", "errors-high", "rate-limited-some");
          return;
        }
        setText(format.apply(item));
        style.accept(this, item);
      }
    });
    return column;
  }

  private TreeTableColumn<RouteRow, BreakerBadge> breakerColumn() {
    TreeTableColumn<RouteRow, BreakerBadge> column = new TreeTableColumn<>("Breaker");
    column.setId("col-breaker");
    column.setUserData(RoutesViewModel.Column.BREAKER);
    column.setPrefWidth(150);
    column.setMinWidth(148);
    column.setCellValueFactory(c -> c.getValue().getValue().breakerProperty());
    column.setCellFactory(c -> new BadgeCell());
    return column;
  }

  private TreeTableColumn<RouteRow, String> limitColumn() {
    TreeTableColumn<RouteRow, String> column = new TreeTableColumn<>("Limit");
    column.setId("col-limit");
    column.setUserData(RoutesViewModel.Column.LIMIT);
    column.setPrefWidth(130);
    column.setMinWidth(110);
    column.setCellValueFactory(c -> c.getValue().getValue().limitProperty());
    return column;
  }

  /**
   * Mirrors the view model's visible tree into TreeItems, reusing them so selection survives: only
   * the sibling groups the last layout changed, or the whole tree after a rebuild.
   */
  private void sync() {
    RouteRow selectedRow = selected();
    TreeItem<RouteRow> rootItem = item(vm.root());
    if (table.getRoot() != rootItem) {
      table.setRoot(rootItem);
    }
    java.util.Set<RouteRow> changed = vm.changedParents();
    if (changed == null) {
      java.util.Set<RouteRow> alive = new java.util.HashSet<>();
      syncChildren(rootItem, alive);
      items.keySet().retainAll(alive);
      items.put(vm.root(), rootItem);
    } else {
      for (RouteRow parent : changed) {
        TreeItem<RouteRow> item = items.get(parent);
        if (item != null) {
          setChildren(item, true);
        }
      }
    }
    if (selectedRow != null) {
      TreeItem<RouteRow> again = items.get(selectedRow);
      if (again != null && table.getSelectionModel().getSelectedItem() != again) {
        table.getSelectionModel().select(again);
      }
    }
  }

  private void syncChildren(TreeItem<RouteRow> parent, java.util.Set<RouteRow> alive) {
    for (TreeItem<RouteRow> child : setChildren(parent, false)) {
      alive.add(child.getValue());
      syncChildren(child, alive);
    }
  }

  /** Sets the parent's shown children; with {@code deep}, rows shown for the first time bring their subtree. */
  private List<TreeItem<RouteRow>> setChildren(TreeItem<RouteRow> parent, boolean deep) {
    List<RouteRow> wanted = vm.visibleChildren(parent.getValue());
    List<TreeItem<RouteRow>> next = new java.util.ArrayList<>(wanted.size());
    for (RouteRow row : wanted) {
      TreeItem<RouteRow> known = items.get(row);
      TreeItem<RouteRow> item = item(row);
      if (deep && known == null) {
        syncChildren(item, new java.util.HashSet<>());
      }
      next.add(item);
    }
    if (!next.equals(parent.getChildren())) {
      parent.getChildren().setAll(next);
    }
    return next;
  }

  private TreeItem<RouteRow> item(RouteRow row) {
    return items.computeIfAbsent(row, r -> {
      TreeItem<RouteRow> item = new TreeItem<>(r);
      item.setExpanded(true);
      return item;
    });
  }

  /** Segment and, for a route, its id, methods and service in muted text. */
  private static final class PathCell extends TreeTableCell<RouteRow, RouteRow> {
    private final Label segment = new Label();
    private final Label summary = new Label();
    private final HBox box = new HBox(8, segment, summary);

    PathCell() {
      getStyleClass().add("path-cell");
      segment.getStyleClass().add("route-segment-label");
      segment.setMinWidth(Region.USE_PREF_SIZE);
      summary.getStyleClass().add("route-summary");
      box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    }

    @Override
    protected void updateItem(@Nullable RouteRow row, boolean empty) {
      super.updateItem(row, empty);
      if (empty || row == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      segment.setText(row.segment());
      summary.setText(row.routeSummary());
      setGraphic(box);
    }
  }

  /** A breaker badge: glyph, word and a style class, never colour alone. */
  private static final class BadgeCell extends TreeTableCell<RouteRow, BreakerBadge> {
    private final Label badge = new Label();

    BadgeCell() {
      badge.getStyleClass().add("badge");
    }

    @Override
    protected void updateItem(@Nullable BreakerBadge item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null || item.text().isEmpty()) {
        setGraphic(null);
        return;
      }
      badge.setText(item.text());
      badge.getStyleClass().removeAll(BreakerBadge.STYLE_CLASSES);
      badge.getStyleClass().add(item.styleClass());
      setGraphic(badge);
    }
  }

  /** Marks hot routes and pure path segments with style classes. */
  private static final class RouteTableRow extends TreeTableRow<RouteRow> {
    private final javafx.beans.value.ChangeListener<Boolean> hotListener =
        (o, a, b) -> mark(getItem());

    @Override
    protected void updateItem(@Nullable RouteRow row, boolean empty) {
      RouteRow before = getItem();
      if (before != null) {
        before.hotProperty().removeListener(hotListener);
      }
      super.updateItem(row, empty);
      if (row != null && !empty) {
        row.hotProperty().addListener(hotListener);
      }
      mark(empty ? null : row);
    }

    private void mark(@Nullable RouteRow row) {
      getStyleClass().removeAll("route-hot", "route-segment");
      if (row == null) {
        return;
      }
      if (row.hotProperty().get()) {
        getStyleClass().add("route-hot");
      }
      if (row.route() == null) {
        getStyleClass().add("route-segment");
      }
    }
  }

  /** Shows the agent-history charts in the route detail. */
  public void attachHistory(dev.sluice.console.history.HistoryChartView charts) {
    detail.attachHistory(charts);
  }
}
