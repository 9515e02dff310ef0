package dev.sluice.console.history;

import static dev.sluice.console.support.ConsoleUi.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * A console attached to a real agent that served traffic before the attach: the route detail's
 * history shows those requests at once, loaded from the agent (headless Monocle, real gRPC).
 */
class HistoryUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  private static final int REQUESTS = 12;
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui =
      ConsoleUi.agent("history-1", "eu").attachingAs(agent -> AgentFixture.VIEWER);

  @BeforeAll
  static void trafficBeforeTheConsoleAttaches() throws Exception {
    AgentFixture agent = ui.agent();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < REQUESTS; i++) {
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.proxyPort() + "/api/users"))
          .build(), HttpResponse.BodyHandlers.discarding());
    }
    // The agent's 10 s step with these requests must be complete before the console attaches.
    HistoryProbe probe = new HistoryProbe(agent);
    await().atMost(CEILING).until(() -> probe.requests("users-list") == REQUESTS);
  }

  @Test
  void routeDetailShowsTheRequestsServedBeforeTheAttachFromTheAgentsHistory(FxRobot robot)
      throws Exception {
    HistoryModel model = ui.session().viewModel().history();
    await().atMost(CEILING).until(() -> onFx(() -> historyRequests(model, "users-list")) == REQUESTS);
    assertThat(onFx(() -> model.statusProperty().get())).startsWith("history loaded");

    ui.selectRoute("users-list");
    XYChart<?, ?> traffic = robot.lookup("#history-traffic-chart").query();
    await().atMost(CEILING).until(() -> onFx(() -> plotted(traffic)) == REQUESTS);
  }

  @Test
  void incidentExportFromTheConsoleRoundTripsThroughTheReader(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    HistoryModel model = ui.session().viewModel().history();
    await().atMost(CEILING).until(() -> onFx(() -> historyRequests(model, "users-list")) == REQUESTS);
    long version = ui.agent().changeAsSomeoneElse();
    await().atMost(CEILING).until(() ->
        onFx(() -> ui.session().viewModel().configVersionProperty().get()) == version);
    HistoryChartView charts = onFx(() -> {
      HistoryChartView view = new HistoryChartView(model);
      new Scene(new javafx.scene.layout.StackPane(view.node()), 900, 600);
      view.show("users-list", "users");
      return view;
    });
    Instant now = Instant.now();
    ExportWindow window = new ExportWindow(now.minusSeconds(3600), now.plusSeconds(5));
    java.nio.file.Path file = dir.resolve("inc-1.sluice-incident.zip");
    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    var dialog = new IncidentExportDialog(ui.session().client(), ui.session().uiThread(), model,
        charts, "sluice-console test", java.time.Clock.systemUTC());
    onFx(() -> dialog.export(window, file, "INC-1", "users 502s", progress::add)).get();

    var read = dev.sluice.export.IncidentExportReader.read(file);
    var doc = read.document();
    assertThat(doc.getGenerator()).isEqualTo("sluice-console test");
    assertThat(doc.getIncidentId()).isEqualTo("INC-1");
    assertThat(doc.getAgent().getAgentId()).isEqualTo("history-1");
    assertThat(doc.getSnapshotAtEnd().getConfigVersion()).isEqualTo(version);
    assertThat(doc.hasSnapshotAtStart()).as("the console was not attached an hour ago").isFalse();
    assertThat(doc.getAuditEntriesList()).anyMatch(e -> e.getReason().equals("someone else"));
    assertThat(doc.getEventsList()).anyMatch(e -> e.getKind()
        == dev.sluice.admin.v1.EventKind.EVENT_KIND_CONFIG_CHANGED);
    assertThat(doc.getHistory().getRoutesList()).filteredOn(r -> r.getRouteId().equals("users-list"))
        .singleElement().satisfies(r -> assertThat(r.getPointsList().stream()
            .mapToLong(p -> p.getRequests()).sum()).isEqualTo(REQUESTS));
    assertThat(read.imageFiles()).containsExactly("images/route-users-list-latency.png",
        "images/route-users-list-traffic.png");
    assertThat(doc.getImages(0).getWidth()).as("read from the PNG").isPositive();
    await().atMost(CEILING).until(() -> progress.stream().anyMatch(l -> l.startsWith("exported inc-1")));
  }

  private static long historyRequests(HistoryModel model, String routeId) {
    return model.route(routeId).all().stream().filter(HistoryStep::fromHistory)
        .mapToLong(HistoryStep::requests).sum();
  }

  /** Requests drawn by the requests/s series: rate × step length, summed. */
  private static long plotted(XYChart<?, ?> chart) {
    double sum = 0;
    for (XYChart.Data<?, ?> d : chart.getData().get(0).getData()) {
      sum += ((Number) d.getYValue()).doubleValue() * HistoryModel.DEFAULT_RESOLUTION.toSeconds();
    }
    return Math.round(sum);
  }


  /** Reads the agent's history over its own admin API, apart from the console. */
  private static final class HistoryProbe {
    private final io.grpc.Channel channel;

    HistoryProbe(AgentFixture agent) {
      channel = agent.channel(AgentFixture.VIEWER);
    }

    long requests(String routeId) {
      var loaded = HistoryLoader.fetch(channel, Instant.now().minusSeconds(3600), Instant.now());
      long sum = 0;
      for (var chunk : loaded.chunks()) {
        for (RouteHistory r : chunk.getRoutesList()) {
          if (r.getRouteId().equals(routeId)) {
            sum += r.getPointsList().stream().mapToLong(p -> p.getRequests()).sum();
          }
        }
      }
      return sum;
    }
  }
}
