package dev.sluice.console.history;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * An incident export from a console attached to a real agent pictures every chart that is open —
 * the route detail's live histogram and p50/p99 chart as well as its history charts — each named
 * and titled for its route and kind in the manifest (headless Monocle, real gRPC).
 */
class OpenChartsExportUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui =
      ConsoleUi.agent("edge-charts", "eu").attachingAs(agent -> AgentFixture.VIEWER);

  @Test
  void exportWithTheRouteDetailOpenHoldsADecodablePictureOfEachOfItsCharts(FxRobot robot,
      @TempDir Path dir) throws Exception {
    TreeTableView<RouteRow> tree = robot.lookup("#route-tree").query();
    await().atMost(CEILING).until(() -> onFx(() -> select(tree, tree.getRoot(), "users-list")));
    await().atMost(CEILING).until(() -> onFx(() -> OpenCharts.under(ui.window().root()).size()) == 4);

    Path file = dir.resolve("inc-7.sluice-incident.zip");
    List<String> progress = new CopyOnWriteArrayList<>();
    IncidentExportDialog dialog = new IncidentExportDialog(ui.session().client(), ui.session().uiThread(),
        ui.session().viewModel().history(), () -> OpenCharts.under(ui.window().root()),
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
    TreeTableView<RouteRow> tree = robot.lookup("#route-tree").query();
    await().atMost(CEILING).until(() -> onFx(() -> select(tree, tree.getRoot(), "orders")));
    await().atMost(CEILING).until(() -> onFx(() -> OpenCharts.under(ui.window().root()).size()) == 4);

    onFx(() -> {
      tree.getSelectionModel().clearSelection();
      return null;
    });

    assertThat(onFx(() -> OpenCharts.under(ui.window().root()))).isEmpty();
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

  private static boolean select(TreeTableView<RouteRow> tree, TreeItem<RouteRow> item, String routeId) {
    if (item == null) {
      return false;
    }
    if (item.getValue() != null && item.getValue().route() != null
        && item.getValue().route().getId().equals(routeId)) {
      tree.getSelectionModel().select(item);
      return true;
    }
    for (TreeItem<RouteRow> child : item.getChildren()) {
      if (select(tree, child, routeId)) {
        return true;
      }
    }
    return false;
  }

  private static <T> T onFx(Callable<T> call) throws Exception {
    return WaitForAsyncUtils.asyncFx(call).get();
  }
}
