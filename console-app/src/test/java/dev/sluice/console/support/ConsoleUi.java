package dev.sluice.console.support;

import static org.awaitility.Awaitility.await;

import dev.sluice.console.ConsoleWindow;
import dev.sluice.console.GatewaySession;
import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.theme.ThemeManager;
import dev.sluice.console.theme.ThemePreference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.TableCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationAdapter;
import org.testfx.framework.junit5.ApplicationFixture;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console's window, headless (Monocle), attached over real gRPC to a real agent started once
 * for the test class: register it as a {@code static} {@code @RegisterExtension} field and take an
 * {@link FxRobot} (this fixture) as a test parameter. The agent starts before the class's
 * {@code @BeforeAll} methods and stops after its {@code @AfterAll} methods; each test gets a fresh
 * window, closed after it.
 *
 * @param <A> the agent (or agents) behind the window
 */
public final class ConsoleUi<A> extends FxRobot implements BeforeAllCallback, AfterAllCallback,
    BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** How long the fixture's own lookups wait for the window to show something. */
  public static final Duration CEILING = Duration.ofSeconds(90);

  private final AgentStarter<A> starter;
  private final Consumer<A> stopper;
  private final BiFunction<A, String, List<GatewayTarget>> targets;
  private Function<A, List<String>> attachTokens;
  private Function<ConsoleUi<A>, List<Menu>> menus = ui -> List.of();
  private Path dir;
  private A agent;
  private ConsoleWindow window;
  private GatewaySession session;
  private Scene scene;

  private ConsoleUi(AgentStarter<A> starter, Consumer<A> stopper,
      BiFunction<A, String, List<GatewayTarget>> targets, Function<A, List<String>> attachTokens) {
    this.starter = starter;
    this.stopper = stopper;
    this.targets = targets;
    this.attachTokens = attachTokens;
  }

  /** The demo gateway (agent, upstreams and client traffic), attached with its operator's token. */
  public static ConsoleUi<DemoGateway> demoGateway() {
    return new ConsoleUi<>(dir -> DemoGateway.start(dir, 0), DemoGateway::close,
        (gateway, token) -> List.of(target(gateway, token)),
        gateway -> List.of(gateway.operatorToken()));
  }

  /** An {@link AgentFixture} agent, attached with {@link AgentFixture#OPERATOR}. */
  public static ConsoleUi<AgentFixture> agent(String agentId, String cluster) {
    return new ConsoleUi<>(dir -> AgentFixture.start(agentId, cluster), AgentFixture::close,
        (agent, token) -> List.of(agent.target(token)), agent -> List.of(AgentFixture.OPERATOR));
  }

  /** Several {@link AgentFixture} agents of one cluster, each attached with the same token. */
  public static ConsoleUi<List<AgentFixture>> agents(String cluster, String... agentIds) {
    return new ConsoleUi<>(dir -> {
      List<AgentFixture> started = new ArrayList<>();
      for (String id : agentIds) {
        started.add(AgentFixture.start(id, cluster));
      }
      return List.copyOf(started);
    }, all -> all.forEach(AgentFixture::close),
        (all, token) -> all.stream().map(a -> a.target(token)).toList(),
        all -> List.of(AgentFixture.OPERATOR));
  }

  /** Where a console attaches to the demo gateway with {@code token}. */
  public static GatewayTarget target(DemoGateway gateway, String token) {
    return new GatewayTarget(gateway.adminHost(), gateway.adminPort(), token);
  }

  /** Attaches with the token {@code token} picks instead of the operator's. */
  public ConsoleUi<A> attachingAs(Function<A, String> token) {
    attachTokens = agent -> List.of(token.apply(agent));
    return this;
  }

  /** Opens the window without attaching it to anything (the test attaches itself). */
  public ConsoleUi<A> attachingNothing() {
    attachTokens = agent -> List.of();
    return this;
  }

  /** Extra menus for the window, made once per test (the window may not exist yet). */
  public ConsoleUi<A> withMenus(Function<ConsoleUi<A>, List<Menu>> extraMenus) {
    menus = extraMenus;
    return this;
  }

  public A agent() {
    return Objects.requireNonNull(agent, "the agent starts before the class's @BeforeAll");
  }

  public ConsoleWindow window() {
    return Objects.requireNonNull(window, "the window opens before each test");
  }

  /** The session of the first attach the fixture made. */
  public GatewaySession session() {
    return Objects.requireNonNull(session, "attachingNothing() opens no session");
  }

  public Scene scene() {
    return Objects.requireNonNull(scene, "the window opens before each test");
  }

  /** Clicks a tab's header (not some other node that happens to carry the same text). */
  public void showTab(String title) {
    clickOn(from(window().root()).lookup(".tab-header-area .tab-label")
        .match(n -> n instanceof Label l && title.equals(l.getText())).<Node>query());
  }

  /** Waits for the service's row in the Breakers table and selects it. */
  public void selectBreaker(String service) {
    await().atMost(CEILING).until(() -> breakerCell(service).tryQuery().isPresent());
    clickOn(breakerCell(service).<Node>query());
  }

  /** Waits for the instance's row in the Registry tree and selects it. */
  public void selectInstance(String instanceId) {
    await().atMost(CEILING).until(() -> instanceCell(instanceId).tryQuery().isPresent());
    clickOn(instanceCell(instanceId).<Node>query());
  }

  /** Waits for the route in the route tree (however deep it sits) and selects it. */
  public void selectRoute(String routeId) {
    TreeTableView<RouteRow> tree = from(window().root()).lookup("#route-tree").query();
    await().atMost(CEILING).until(() -> onFx(() -> selectRoute(tree, tree.getRoot(), routeId)));
  }

  private static boolean selectRoute(TreeTableView<RouteRow> tree, TreeItem<RouteRow> item,
      String routeId) {
    if (item == null) {
      return false;
    }
    if (item.getValue() != null && item.getValue().route() != null
        && item.getValue().route().getId().equals(routeId)) {
      tree.getSelectionModel().select(item);
      return true;
    }
    for (TreeItem<RouteRow> child : item.getChildren()) {
      if (selectRoute(tree, child, routeId)) {
        return true;
      }
    }
    return false;
  }

  /** Waits until the status bar says the window's gateway is live. */
  public void awaitLive() {
    await().atMost(CEILING).until(() -> from(window().root()).lookup("#status-text")
        .queryLabeled().getText().startsWith("Live"));
  }

  /** Runs {@code read} on the FX thread and returns what it read. */
  public static <T> T onFx(Callable<T> read) throws Exception {
    return WaitForAsyncUtils.asyncFx(read).get();
  }

  private org.testfx.service.query.NodeQuery breakerCell(String service) {
    return from(window().root()).lookup("#breaker-table .table-cell")
        .match(n -> n instanceof TableCell<?, ?> c && service.equals(c.getText()));
  }

  private org.testfx.service.query.NodeQuery instanceCell(String instanceId) {
    return from(window().root()).lookup("#registry-tree .tree-table-cell")
        .match(n -> n instanceof TreeTableCell<?, ?> c && instanceId.equals(c.getText()));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("sluice-console-ui");
    agent = starter.start(dir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (agent != null) {
        stopper.accept(agent);
      }
    } finally {
      agent = null;
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    FxToolkit.registerPrimaryStage();
    FxToolkit.setupApplication(() -> new ApplicationAdapter(new Window()));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    FxToolkit.cleanupAfterTest(this, new ApplicationAdapter(new Window()));
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FxRobot.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return this;
  }

  /** Starts the agent in a fresh directory the fixture deletes afterwards. */
  @FunctionalInterface
  private interface AgentStarter<A> {
    A start(Path dir) throws Exception;
  }

  /** What TestFX runs on the FX thread: the window opens in start and closes in stop. */
  private final class Window implements ApplicationFixture {
    @Override
    public void init() {
    }

    @Override
    public void start(Stage stage) {
      window = new ConsoleWindow(
          new ThemeManager(new ThemePreference(ThemePreference.defaultConfigDir())),
          menus.apply(ConsoleUi.this));
      scene = new Scene(window.root(), 1280, 800);
      window.install(scene);
      stage.setScene(scene);
      stage.show();
      session = null;
      for (String token : attachTokens.apply(agent)) {
        for (GatewayTarget target : targets.apply(agent, token)) {
          GatewaySession attached = window.attach(target);
          session = session == null ? attached : session;
        }
      }
    }

    @Override
    public void stop() {
      window.close();
    }
  }
}
