package dev.sluice.console.editors;

import static dev.sluice.console.support.ConsoleUi.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.Route;
import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.support.AgentProbe;
import dev.sluice.console.support.ConsoleUi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Creating, deleting and filtering routes from the console, headless (Monocle), against the demo's
 * real agent and real upstreams on loopback: what the console applies is checked on the agent's
 * own snapshot and with HTTP requests through its proxy.
 */
class RouteLifecycleUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** printf %s demo-key | sha256sum */
  private static final String DEMO_KEY_SHA256 =
      "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c";
  @RegisterExtension
  static final ConsoleUi<DemoGateway> ui = ConsoleUi.demoGateway().attachingNothing();
  private static AgentProbe agent;

  @BeforeAll
  static void probeTheAgent() {
    agent = new AgentProbe(ui.agent());
  }

  @AfterAll
  static void stopProbe() {
    agent.close();
  }

  @Test
  void aRouteCreatedFromTheConsoleIsInTheAgentsSnapshotAndProxiesTraffic(FxRobot robot)
      throws Exception {
    attach(robot, ui.agent().operatorToken());
    assertThat(ui.window().shortcutList()).extracting(dev.sluice.console.Shortcut::label)
        .as("in the menus and the F1 sheet").contains("New route…", "Delete selected route…");
    await().atMost(CEILING).until(() -> !robot.lookup("#new-route").queryButton().isDisabled());
    robot.clickOn("#new-route");
    await().atMost(CEILING).until(() -> robot.lookup("#edit-id").tryQuery().isPresent());

    robot.clickOn("#edit-id").write("reports-get");
    robot.clickOn("#edit-path").write("/api/v1/reports/:id");
    robot.clickOn("#edit-methods").write("GET");
    ComboBox<String> service = robot.lookup("#edit-service").query();
    robot.interact(() -> service.setValue("orders"));
    robot.clickOn("#edit-reason").write("INC-21 reports move to the orders service");
    robot.clickOn("#edit-check");

    awaitReviewed(robot);
    assertThat(diff(robot)).contains("+ id: (new) → reports-get", "+ service: (new) → orders");
    robot.clickOn("#edit-apply");

    await().atMost(CEILING).until(() -> route("reports-get").isPresent());
    assertThat(route("reports-get").orElseThrow().getMatch().getPath()).isEqualTo("/api/v1/reports/:id");
    await().atMost(CEILING).untilAsserted(() -> {
      HttpResponse<String> answer = get("/api/v1/reports/42", null);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"service\":\"orders\"").contains("/api/v1/reports/42");
    });
  }

  @Test
  void aRouteDeletedAfterTheConfirmationAnswers404OnTheAgent(FxRobot robot) throws Exception {
    attach(robot, ui.agent().operatorToken());
    await().atMost(CEILING).until(() -> get("/api/v1/me", null).statusCode() != 404);
    select(robot, "users-me");
    await().atMost(CEILING).until(() -> !robot.lookup("#delete-route").queryButton().isDisabled());
    robot.clickOn("#delete-route");

    await().atMost(CEILING).until(() -> robot.lookup("#blast-radius").tryQuery().isPresent());
    assertThat(robot.lookup("#blast-radius").queryLabeled().getText())
        .startsWith("Delete route `users-me`: requests to GET /api/v1/me will get 404");
    robot.clickOn("#change-reason").write("INC-22 the me endpoint leaks sessions");
    robot.clickOn("#confirm-change");

    await().atMost(CEILING).until(() -> route("users-me").isEmpty());
    assertThat(get("/api/v1/me", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aFilterAddedInTheEditorIsEnforcedByTheAgent(FxRobot robot) throws Exception {
    attach(robot, ui.agent().operatorToken());
    select(robot, "catalog-categories");
    TextInputControl headers = addFilter(robot, "request-validation", "headers");
    robot.interact(() -> headers.setText("{\"X-Tenant\": {\"required\": true, \"pattern\": \"[a-z]{3,16}\"}}"));
    robot.clickOn("#edit-reason").write("INC-23 categories only for tenants");
    robot.clickOn("#edit-check");
    awaitReviewed(robot);
    assertThat(diff(robot)).as("only the filter is new; the rest of the route stays")
        .isNotEmpty().allMatch(line -> line.startsWith("+ filters[0]."));
    robot.clickOn("#edit-apply");

    await().atMost(CEILING).until(() -> route("catalog-categories").orElseThrow().getFiltersCount() == 1);
    assertThat(route("catalog-categories").orElseThrow().getFiltersList())
        .extracting(FilterSpec::getName).containsExactly("request-validation");
    await().atMost(CEILING).until(() -> get("/api/v2/catalog/categories", null).statusCode() == 400);
    await().atMost(CEILING).until(() -> get("/api/v2/catalog/categories", "acme").statusCode() == 200);
  }

  @Test
  void anEditThatLeavesARedactedKeyAsShownKeepsTheAgentsSecret(FxRobot robot) throws Exception {
    attach(robot, ui.agent().operatorToken());
    select(robot, "orders-items");
    TextInputControl keys = addFilter(robot, "api-key-auth", "keys");
    robot.interact(() -> keys.setText("[{\"name\": \"batch\", \"sha256\": \"" + DEMO_KEY_SHA256 + "\"}]"));
    robot.clickOn("#edit-reason").write("INC-25 items only for the batch job");
    robot.clickOn("#edit-check");
    awaitReviewed(robot);
    robot.clickOn("#edit-apply");
    await().atMost(CEILING).until(() -> route("orders-items").orElseThrow().getFiltersCount() == 1);
    assertThat(route("orders-items").orElseThrow().getFilters(0).toString())
        .contains("<redacted>").doesNotContain(DEMO_KEY_SHA256);
    await().atMost(CEILING).until(() -> getWithKey("/api/v1/orders/7/items").statusCode() == 200);

    await().atMost(CEILING).until(() -> onFx(() -> robot.lookup("#route-filter-0").tryQuery().isPresent()));
    robot.clickOn("#edit-route");
    await().atMost(CEILING).until(() -> robot.lookup("#filter-0-keys").tryQuery().isPresent());
    assertThat(robot.lookup("#filter-0-keys").<TextInputControl>query().getText()).contains("<redacted>");
    TextInputControl timeout = robot.lookup("#edit-timeout").query();
    robot.interact(() -> timeout.setText("4s"));
    robot.clickOn("#edit-reason").write("INC-25 items upstream is slow");
    robot.clickOn("#edit-check");
    awaitReviewed(robot);
    robot.clickOn("#edit-apply");

    await().atMost(CEILING).until(() -> route("orders-items").orElseThrow().getResponseTimeout().getSeconds() == 4);
    assertThat(get("/api/v1/orders/7/items", null).statusCode()).as("no key").isEqualTo(401);
    await().atMost(CEILING).until(() -> getWithKey("/api/v1/orders/7/items").statusCode() == 200);
  }

  @Test
  void theAgentsFilterViolationIsShownWithItsPathAndNothingIsApplied(FxRobot robot) throws Exception {
    attach(robot, ui.agent().operatorToken());
    select(robot, "catalog-search");
    long before = agent.snapshot().getConfigVersion();
    TextInputControl query = addFilter(robot, "request-validation", "query");
    robot.interact(() -> query.setText("{\"page\": {\"type\": \"integr\"}}"));
    robot.clickOn("#edit-reason").write("INC-24 page must be a number");
    robot.clickOn("#edit-check");

    await().atMost(CEILING).until(() -> robot.lookup("#edit-problems").queryLabeled().getText()
        .contains("route.filters[0].query.page"));
    assertThat(robot.lookup("#edit-apply").queryButton().isDisabled()).isTrue();
    assertThat(agent.snapshot().getConfigVersion()).isEqualTo(before);
    assertThat(route("catalog-search").orElseThrow().getFiltersCount()).isZero();
  }

  @Test
  void aSessionScopedToOtherServicesCannotDeleteTheRoute(FxRobot robot) throws Exception {
    attach(robot, ui.agent().paymentsOperatorToken());
    select(robot, "payments-get");
    await().atMost(CEILING).until(() -> !robot.lookup("#delete-route").queryButton().isDisabled());

    select(robot, "orders-list");

    await().atMost(CEILING).until(() -> robot.lookup("#delete-route").queryButton().isDisabled());
    assertThat(robot.lookup("#edit-route").queryButton().isDisabled())
        .as("the scope is checked by the agent on edits; only deletion is refused here").isFalse();
  }

  @Test
  void aViewerIsOfferedNeitherNewRouteNorDelete(FxRobot robot) throws Exception {
    attach(robot, ui.agent().viewerToken());
    select(robot, "orders-get");

    assertThat(robot.lookup("#new-route").queryButton().isDisabled()).isTrue();
    assertThat(robot.lookup("#delete-route").queryButton().isDisabled()).isTrue();
  }

  /** Waits for the dry run to pass; a failure says what the editor showed instead. */
  private static void awaitReviewed(FxRobot robot) {
    await().atMost(CEILING).untilAsserted(() -> assertThat(
        robot.lookup("#edit-apply").queryButton().isDisabled())
        .as("Apply disabled; problems: %s; message: %s",
            robot.lookup("#edit-problems").queryLabeled().getText(),
            robot.lookup("#edit-message").queryLabeled().getText())
        .isFalse());
  }

  /**
   * Opens the selected route's editor, adds a filter of {@code type} as a user would (scrolling to
   * the Add row) and answers its field {@code key}.
   */
  private static TextInputControl addFilter(FxRobot robot, String type, String key) {
    robot.clickOn("#edit-route");
    await().atMost(CEILING).until(() -> robot.lookup("#filter-add").tryQuery().isPresent());
    ComboBox<String> types = robot.lookup("#filter-type").query();
    robot.interact(() -> types.setValue(type));
    scrollFormToEnd(robot);
    robot.clickOn("#filter-add");
    await().atMost(CEILING).until(() -> robot.lookup("#filter-0-" + key).tryQuery().isPresent());
    return robot.lookup("#filter-0-" + key).query();
  }

  /** The user scrolls the editor's form down to the filters' Add row. */
  private static void scrollFormToEnd(FxRobot robot) {
    javafx.scene.control.ScrollPane form = robot.lookup("#edit-form").query();
    robot.interact(() -> form.setVvalue(form.getVmax()));
  }

  private void attach(FxRobot robot, String token) {
    robot.interact(() -> ui.window().attach(
        new GatewayTarget(ui.agent().adminHost(), ui.agent().adminPort(), token)));
  }

  private static HttpResponse<String> get(String path, String tenant) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + ui.agent().proxyPort() + path)).timeout(Duration.ofSeconds(10));
    if (tenant != null) {
      request.header("X-Tenant", tenant);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> getWithKey(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.agent().proxyPort() + path))
        .header("X-Api-Key", "demo-key").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<Route> route(String id) {
    return agent.snapshot().getRoutesList().stream().filter(r -> r.getId().equals(id)).findFirst();
  }

  private static List<String> diff(FxRobot robot) throws Exception {
    return onFx(() -> ((ListView<?>) robot.lookup("#edit-diff").query())
        .getItems().stream().map(Object::toString).toList());
  }

  private static void select(FxRobot robot, String routeId) throws Exception {
    await().atMost(CEILING).until(() -> robot.lookup("#route-tree").tryQuery().isPresent());
    TreeTableView<RouteRow> tree = robot.lookup("#route-tree").query();
    ui.selectRoute(routeId);
    await().atMost(CEILING).until(() -> onFx(() -> {
      TreeItem<RouteRow> item = tree.getSelectionModel().getSelectedItem();
      return item != null && item.getValue().route() != null
          && item.getValue().route().getId().equals(routeId);
    }));
    WaitForAsyncUtils.waitForFxEvents();
  }
}
