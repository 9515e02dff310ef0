package dev.sluice.console;

import dev.sluice.console.attach.AttachDialog;
import dev.sluice.console.attach.ProfileStore;
import dev.sluice.console.confirm.ConfirmationDialog;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The console's main window: a sidebar of attached gateways with a health dot each, the selected
 * gateway's views, a status bar with the connection state and the age of the data, and the menus
 * and keyboard shortcuts. Build it on the FX thread; {@link #close()} detaches every gateway.
 */
public final class ConsoleWindow {
  private final ThemeManager themes;
  private final AttachDialog attachDialog;
  private final BorderPane root = new BorderPane();
  private final ObservableList<GatewaySession> sessions = FXCollections.observableArrayList();
  private final ListView<GatewaySession> sidebar = new ListView<>(sessions);
  private final Map<GatewaySession, GatewayView> views = new HashMap<>();
  private final StackPane center = new StackPane();
  private final Circle statusDot = new Circle(5);
  private final Label statusText = new Label("No gateway attached");
  private final Label message = new Label();
  private final List<Shortcut> shortcuts;
  private final Timeline clock;
  private final javafx.beans.InvalidationListener restyleStatus = o -> restyleStatus();
  private @Nullable GatewayViewModel shown;
  private final Map<GatewaySession, dev.sluice.console.editors.Editors> editors = new HashMap<>();
  private javafx.stage.@Nullable Stage fleet;

  public ConsoleWindow(ThemeManager themes, List<Menu> extraMenus) {
    this.themes = themes;
    this.attachDialog =
        new AttachDialog(themes, new ProfileStore(ThemePreference.defaultConfigDir()));
    this.shortcuts = shortcuts();
    root.setId("console-root");

    sidebar.setId("gateway-list");
    sidebar.getStyleClass().add("gateway-list");
    sidebar.setCellFactory(l -> new GatewayCell());
    sidebar.setPrefWidth(200);
    Label title = new Label("GATEWAYS");
    title.getStyleClass().add("sidebar-title");
    javafx.scene.control.Button attach = new javafx.scene.control.Button("Attach…");
    attach.setMaxWidth(Double.MAX_VALUE);
    attach.setOnAction(e -> askToAttach());
    VBox side = new VBox(title, sidebar, attach);
    VBox.setVgrow(sidebar, Priority.ALWAYS);
    side.getStyleClass().add("sidebar");
    sidebar.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showSession(b));

    statusDot.getStyleClass().add("health-dot");
    statusText.getStyleClass().add("status-text");
    statusText.setId("status-text");
    message.getStyleClass().add("muted");
    message.setId("status-message");
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    Label help = new Label("F1 shortcuts");
    help.getStyleClass().add("muted");
    HBox status = new HBox(statusDot, statusText, spring, message, help);
    status.getStyleClass().add("status-bar");
    status.setAlignment(Pos.CENTER_LEFT);

    Label empty = new Label("Attach a gateway (Ctrl+O) to see its routes.");
    empty.getStyleClass().add("muted");
    center.getChildren().add(empty);

    root.setTop(menus(extraMenus));
    root.setLeft(side);
    root.setCenter(center);
    root.setBottom(status);

    clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
      for (GatewaySession s : sessions) {
        s.viewModel().tick();
      }
    }));
    clock.setCycleCount(Timeline.INDEFINITE);
    clock.play();
  }

  public Parent root() {
    return root;
  }

  /** Themes the scene and installs the shortcuts that have no menu of their own. */
  public void install(Scene scene) {
    themes.manage(scene);
  }

  /** Attaches a gateway and selects it. */
  public GatewaySession attach(GatewayTarget target) {
    GatewaySession session = GatewaySession.attach(target);
    GatewayView view = new GatewayView(session.viewModel(), change -> confirm(session, change));
    views.put(session, view);
    installEditors(session, view);
    session.viewModel().events().setOnAlert(row -> notify(session, row.summary()));
    sessions.add(session);
    sidebar.getSelectionModel().select(session);
    return session;
  }

  public List<Shortcut> shortcutList() {
    return shortcuts;
  }

  public void close() {
    clock.stop();
    for (GatewaySession s : sessions) {
      s.close();
    }
  }

  private @Nullable GatewaySession current() {
    return sidebar.getSelectionModel().getSelectedItem();
  }

  private @Nullable GatewayView currentView() {
    GatewaySession s = current();
    return s == null ? null : views.get(s);
  }

  private void showSession(@Nullable GatewaySession session) {
    statusText.textProperty().unbind();
    GatewayViewModel before = shown;
    if (before != null) {
      before.staleProperty().removeListener(restyleStatus);
      before.stateProperty().removeListener(restyleStatus);
    }
    shown = session == null ? null : session.viewModel();
    if (session == null) {
      return;
    }
    GatewayViewModel vm = session.viewModel();
    center.getChildren().setAll(views.get(session).node());
    statusText.textProperty().bind(vm.statusTextProperty());
    vm.staleProperty().addListener(restyleStatus);
    vm.stateProperty().addListener(restyleStatus);
    restyleStatus();
  }

  /** Greys the status text while data is stale and colours the dot by connection phase. */
  private void restyleStatus() {
    GatewayViewModel vm = shown;
    statusText.getStyleClass().remove("stale");
    if (vm == null) {
      return;
    }
    if (vm.staleProperty().get()) {
      statusText.getStyleClass().add("stale");
    }
    phaseClass(statusDot, vm.stateProperty().get().phase());
  }

  private void confirm(GatewaySession session, PendingChange change) {
    new ConfirmationDialog(themes, session.uiThread()).show(
        root.getScene() == null ? null : root.getScene().getWindow(),
        change,
        result -> message.setText("Applied: config v" + result.getVersion() + " (audit "
            + result.getAuditEntryId() + ")"
            + (result.getWarningsCount() == 0 ? "" : " · " + String.join("; ", result.getWarningsList()))));
  }

  /** The route and limit editors of {@code session}, from the route detail and the shortcuts. */
  private void installEditors(GatewaySession session, GatewayView view) {
    GatewayViewModel vm = session.viewModel();
    var e = new dev.sluice.console.editors.Editors(themes, session.uiThread(),
        dev.sluice.console.editors.EditorGateway.of(session.client()),
        vm.configVersionProperty()::get, vm::serviceNames, vm::maxOverrideTtl);
    editors.put(session, e);
    view.routes().enableEditing(vm.mayChangeProperty(),
        route -> e.editRoute(route, owner(), this::applied),
        route -> e.editLimit(route, owner(), this::applied));
    view.routes().enableRouteLifecycle(vm.mayChangeProperty(),
        () -> e.newRoute(owner(), this::applied),
        route -> e.deleteRoute(route, owner(), this::applied), vm::mayChangeRoute);
  }

  /** New route… for the selected gateway, when its session may change things. */
  private void newRoute() {
    GatewaySession s = current();
    if (s != null && s.viewModel().mayChangeProperty().get()) {
      editors.get(s).newRoute(owner(), this::applied);
    }
  }

  /** Delete route… for the selected route, when the session may change it. */
  private void deleteSelected() {
    GatewaySession s = current();
    GatewayView view = currentView();
    dev.sluice.console.routes.RouteRow row = view == null ? null : view.routes().selected();
    if (s != null && row != null && row.route() != null && s.viewModel().mayChangeRoute(row.route())) {
      editors.get(s).deleteRoute(row.route(), owner(), this::applied);
    }
  }

  private void editSelected(boolean limit) {
    GatewaySession s = current();
    GatewayView view = currentView();
    if (s == null || view == null || !s.viewModel().mayChangeProperty().get()) {
      return;
    }
    dev.sluice.console.routes.RouteRow row = view.routes().selected();
    if (row != null && row.route() != null) {
      if (limit) {
        editors.get(s).editLimit(row.route(), owner(), this::applied);
      } else {
        editors.get(s).editRoute(row.route(), owner(), this::applied);
      }
    }
  }

  private javafx.stage.@Nullable Window owner() {
    return root.getScene() == null ? null : root.getScene().getWindow();
  }

  private void applied(dev.sluice.admin.v1.ChangeResult result) {
    message.setText("Applied: config v" + result.getVersion() + " (audit "
        + result.getAuditEntryId() + ")"
        + (result.getWarningsCount() == 0 ? "" : " · " + String.join("; ", result.getWarningsList())));
  }

  /** File → Export incident…: a window of the selected gateway, with its open charts, to a file. */
  private void exportIncident() {
    GatewaySession s = current();
    GatewayView view = currentView();
    if (s == null || view == null) {
      return;
    }
    new dev.sluice.console.history.IncidentExportDialog(s.client(), s.uiThread(),
        s.viewModel().history(),
        () -> dev.sluice.console.history.OpenCharts.under(view.node()), "sluice-console " + Main.version(),
        java.time.Clock.systemUTC()).show(owner(), message::setText, themes::manage);
  }

  /** Opens the selected gateway's audit log in a window of its own, with Revert. */
  private void showAudit() {
    GatewaySession session = current();
    if (session == null) {
      return;
    }
    GatewayViewModel vm = session.viewModel();
    var audit = new dev.sluice.console.safety.AuditViewModel(
        dev.sluice.console.safety.AuditGateway.of(session.client()), session.uiThread(),
        vm.configVersionProperty()::get);
    var view = new dev.sluice.console.safety.AuditView(audit, change -> confirm(session, change),
        vm.mayChangeProperty());
    javafx.stage.Stage stage = new javafx.stage.Stage();
    stage.initOwner(owner());
    stage.setTitle("Audit log · " + vm.nameProperty().get());
    Scene scene = new Scene(view.node(), 1100, 640);
    themes.manage(scene);
    stage.setScene(scene);
    stage.show();
  }

  /** Opens (or raises) the fleet window over every attached gateway. */
  private void showFleet() {
    if (fleet != null) {
      fleet.toFront();
      return;
    }
    var vm = new dev.sluice.console.fleet.FleetViewModel(
        () -> sessions.stream().map(GatewaySession::viewModel).toList());
    var view = new dev.sluice.console.fleet.FleetView(vm, agentId -> {
      for (GatewaySession s : sessions) {
        if (s.viewModel().agentId().equals(agentId)) {
          sidebar.getSelectionModel().select(s);
          if (root.getScene() != null && root.getScene().getWindow() instanceof javafx.stage.Stage main) {
            main.toFront();
          }
        }
      }
    });
    javafx.stage.Stage stage = new javafx.stage.Stage();
    stage.initOwner(owner());
    stage.setTitle("Sluice fleet");
    Scene scene = new Scene(view.node(), 960, 640);
    themes.manage(scene);
    stage.setScene(scene);
    stage.setOnHidden(e -> {
      view.stop();
      fleet = null;
    });
    fleet = stage;
    stage.show();
  }

  /** A breaker opened: say so without blocking anything (the event list keeps it too). */
  private void notify(GatewaySession session, String summary) {
    if (root.getScene() == null || root.getScene().getWindow() == null) {
      return;
    }
    org.controlsfx.control.Notifications.create()
        .owner(root.getScene().getWindow())
        .title(session.viewModel().nameProperty().get())
        .text(summary)
        .position(Pos.BOTTOM_RIGHT)
        .hideAfter(Duration.seconds(8))
        .showWarning();
  }

  private void askToAttach() {
    if (root.getScene() == null) {
      return;
    }
    attachDialog.ask(root.getScene().getWindow()).ifPresent(this::attach);
  }

  private List<Shortcut> shortcuts() {
    List<Shortcut> list = new ArrayList<>();
    list.add(new Shortcut("File", "Attach gateway…", combo(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
        this::askToAttach));
    list.add(new Shortcut("File", "Export incident…",
        combo(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::exportIncident));
    list.add(new Shortcut("File", "Quit", combo(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
        () -> {
          if (root.getScene() != null) {
            root.getScene().getWindow().hide();
          }
        }));
    list.add(new Shortcut("View", "Find route", combo(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
        () -> withView(GatewayView::focusSearch)));
    list.add(new Shortcut("View", "Refresh (fresh snapshot, re-sort)", combo(KeyCode.F5), () -> {
      GatewaySession s = current();
      if (s != null) {
        s.client().refresh();
        s.viewModel().routes().reorder();
      }
    }));
    list.add(new Shortcut("View", "Toggle light / dark theme",
        combo(KeyCode.T, KeyCombination.SHORTCUT_DOWN), themes::toggle));
    String[] tabs = {"Routes", "Breakers", "Registry", "Events"};
    KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4};
    for (int i = 0; i < tabs.length; i++) {
      int index = i;
      list.add(new Shortcut("View", "Show " + tabs[i], combo(digits[i], KeyCombination.SHORTCUT_DOWN),
          () -> withView(v -> v.showTab(index))));
    }
    list.add(new Shortcut("View", "Fleet: agents by cluster",
        combo(KeyCode.F, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::showFleet));
    list.add(new Shortcut("View", "Audit log (with Revert)",
        combo(KeyCode.A, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::showAudit));
    list.add(new Shortcut("Actions", "Trip breaker (selected breaker or route's service)…",
        combo(KeyCode.T, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
        () -> withView(GatewayView::tripSelected)));
    list.add(new Shortcut("Actions", "Drain selected instance…",
        combo(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
        () -> withView(GatewayView::drainSelected)));
    list.add(new Shortcut("Actions", "Edit selected route…",
        combo(KeyCode.E, KeyCombination.SHORTCUT_DOWN), () -> editSelected(false)));
    list.add(new Shortcut("Actions", "Edit selected route's rate limit…",
        combo(KeyCode.L, KeyCombination.SHORTCUT_DOWN), () -> editSelected(true)));
    list.add(new Shortcut("Actions", "New route…",
        combo(KeyCode.N, KeyCombination.SHORTCUT_DOWN), this::newRoute));
    list.add(new Shortcut("Actions", "Delete selected route…",
        combo(KeyCode.DELETE, KeyCombination.SHORTCUT_DOWN), this::deleteSelected));
    list.add(new Shortcut("Help", "Keyboard shortcuts", combo(KeyCode.F1), this::showHelp));
    return list;
  }

  private void withView(java.util.function.Consumer<GatewayView> action) {
    GatewayView view = currentView();
    if (view != null) {
      action.accept(view);
    }
  }

  private MenuBar menus(List<Menu> extraMenus) {
    Map<String, Menu> byName = new LinkedHashMap<>();
    for (Shortcut s : shortcuts) {
      MenuItem item = new MenuItem(s.label());
      item.setAccelerator(s.keys());
      item.setOnAction(e -> s.action().run());
      byName.computeIfAbsent(s.menu(), Menu::new).getItems().add(item);
    }
    MenuBar bar = new MenuBar();
    for (Map.Entry<String, Menu> e : byName.entrySet()) {
      if (e.getKey().equals("Help")) {
        bar.getMenus().addAll(extraMenus);
      }
      bar.getMenus().add(e.getValue());
    }
    return bar;
  }

  private void showHelp() {
    Dialog<ButtonType> dialog = new Dialog<>();
    if (root.getScene() != null) {
      dialog.initOwner(root.getScene().getWindow());
    }
    dialog.setTitle("Keyboard shortcuts");
    themes.manage(dialog.getDialogPane().getScene());
    GridPane grid = new GridPane();
    grid.setHgap(12);
    grid.setVgap(6);
    int row = 0;
    for (Shortcut s : shortcuts) {
      Label keys = new Label(s.keys().getDisplayText());
      keys.getStyleClass().add("shortcut-key");
      grid.addRow(row++, keys, new Label(s.label()));
    }
    dialog.getDialogPane().setContent(grid);
    dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
    dialog.show();
  }

  private static KeyCombination combo(KeyCode code, KeyCombination.Modifier... modifiers) {
    return new KeyCodeCombination(code, modifiers);
  }

  static void phaseClass(Circle dot, ConnectionState.Phase phase) {
    dot.getStyleClass().removeIf(c -> c.startsWith("phase-"));
    dot.getStyleClass().add("phase-" + phase.name().toLowerCase(Locale.ROOT));
  }

  /**
   * A gateway in the sidebar: health dot, name, address and phase in words, and the data's age
   * when it is stale. It follows its view model in place rather than being rebuilt, so the dot
   * never flashes unstyled.
   */
  private static final class GatewayCell extends ListCell<GatewaySession> {
    private final Circle dot = new Circle(5);
    private final Label name = new Label();
    private final Label detail = new Label();
    private final Label state = new Label();
    private final HBox box;
    private final javafx.beans.InvalidationListener follow = o -> show();
    private @Nullable GatewayViewModel shown;

    GatewayCell() {
      dot.getStyleClass().add("health-dot");
      detail.getStyleClass().add("gateway-address");
      state.getStyleClass().add("gateway-address");
      box = new HBox(8, dot, new VBox(name, detail, state));
      box.setAlignment(Pos.CENTER_LEFT);
      getStyleClass().add("gateway-cell");
      // Long names are cut with an ellipsis rather than widening the list into a scroll bar.
      setPrefWidth(0);
    }

    @Override
    protected void updateItem(@Nullable GatewaySession item, boolean empty) {
      super.updateItem(item, empty);
      GatewayViewModel before = shown;
      if (before != null) {
        for (javafx.beans.Observable p : watched(before)) {
          p.removeListener(follow);
        }
      }
      shown = empty || item == null ? null : item.viewModel();
      GatewayViewModel vm = shown;
      if (vm == null) {
        setGraphic(null);
        return;
      }
      for (javafx.beans.Observable p : watched(vm)) {
        p.addListener(follow);
      }
      show();
      setGraphic(box);
    }

    private static List<javafx.beans.Observable> watched(GatewayViewModel vm) {
      return List.of(vm.nameProperty(), vm.stateProperty(), vm.staleProperty(), vm.ageProperty(),
          vm.roleWordProperty());
    }

    private void show() {
      GatewayViewModel vm = shown;
      if (vm == null) {
        return;
      }
      ConnectionState.Phase phase = vm.stateProperty().get().phase();
      boolean stale = vm.staleProperty().get();
      name.setText(vm.nameProperty().get());
      String word = phase.name().toLowerCase(Locale.ROOT);
      String role = vm.roleWordProperty().get();
      detail.setText(vm.address());
      state.setText((stale && !vm.ageProperty().get().isEmpty()
          ? word + ", " + vm.ageProperty().get() : word) + (role.isEmpty() ? "" : " · " + role));
      box.getStyleClass().remove("stale");
      if (stale) {
        box.getStyleClass().add("stale");
      }
      phaseClass(dot, phase);
    }
  }
}
