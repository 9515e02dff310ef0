package dev.sluice.console.history;

import static dev.sluice.console.support.ConsoleUi.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.console.routes.RouteRow;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import dev.sluice.export.IncidentExport;
import dev.sluice.export.IncidentExportReader;
import dev.sluice.export.v1.ChartImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.TreeTableView;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * An incident export from a console attached to a real agent pictures every chart that is open —
 * the route detail's live histogram and p50/p99 chart as well as its history charts — each named
 * and titled for its route and kind in the manifest (headless Monocle, real gRPC).
 */
class OpenChartsExportUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui = ConsoleUi.agent("edge-charts", "eu")
      .attachingAs(agent -> AgentFixture.VIEWER);

  @Test
  void exportWithTheRouteDetailOpenHoldsADecodablePictureOfEachOfItsCharts(FxRobot robot,
      @TempDir Path dir) throws Exception {
    ui.selectRoute("users-list");
    await().atMost(CEILING).until(() -> onFx(() -> openCharts().size()) == 4);

    Path file = dir.resolve("inc-7.sluice-incident.zip");
    List<String> progress = new CopyOnWriteArrayList<>();
    IncidentExportDialog dialog = new IncidentExportDialog(ui.session().client(),
        ui.session().uiThread(), ui.session().viewModel().history(), this::openCharts,
        "sluice-console test", Clock.systemUTC());
    Instant now = Instant.now();
    CompletableFuture<IncidentExport> written = onFx(() -> dialog.export(
        new ExportWindow(now.minusSeconds(900), now.plusSeconds(5)), file, "INC-7", "users", progress::add));
    written.get();

    IncidentExport read = IncidentExportReader.read(file);
    assertThat(read.imageFiles()).containsExactly(
        "images/route-users-list-latency-histogram.png",
        "images/route-users-list-p50-p99-live.png",
        "images/route-users-list-latency.png",
        "images/route-users-list-traffic.png");
    assertThat(read.document().getImagesList()).allSatisfy(image -> {
      assertThat(image.getRouteIdsList()).containsExactly("users-list");
      assertThat(image.getTitle()).startsWith("users-list ");
    });
    assertThat(read.document().getImages(0).getTitle())
        .isEqualTo("users-list latency histogram (last interval, last minute)");
    for (ChartImage image : read.document().getImagesList()) {
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(read.image(image.getFile())));
      assertThat(png).as(image.getFile() + " decodes").isNotNull();
      assertThat(png.getWidth()).as(image.getFile()).isEqualTo(image.getWidth()).isGreaterThan(200);
      assertThat(png.getHeight()).as(image.getFile()).isEqualTo(image.getHeight()).isGreaterThan(100);
      assertThat(colours(png)).as(image.getFile() + " shows axes and text, not a blank").isGreaterThan(8);
    }
    await().atMost(CEILING).until(() -> progress.stream().anyMatch(l -> l.startsWith("exported inc-7")));
    assertThat(progress).contains("exporting incident: 4 charts pictured…")
        .anyMatch(l -> l.startsWith("exporting incident: encoding chart 4 of 4"));
  }

  @Test
  void nothingIsPicturedOnceTheRouteDetailShowsNoRoute(FxRobot robot) throws Exception {
    ui.selectRoute("orders");
    await().atMost(CEILING).until(() -> onFx(() -> openCharts().size()) == 4);

    TreeTableView<RouteRow> tree = robot.lookup("#route-tree").query();
    onFx(() -> {
      tree.getSelectionModel().clearSelection();
      return null;
    });

    assertThat(onFx(this::openCharts)).isEmpty();
  }

  private List<OpenCharts.Shown> openCharts() {
    return OpenCharts.under(ui.window().root());
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }

}
