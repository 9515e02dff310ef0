package dev.sluice.console.routes;

import static dev.sluice.console.support.Protos.frame;
import static dev.sluice.console.support.Protos.route;
import static dev.sluice.console.support.Protos.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Frames prepared on another thread, re-orders worked out in the background, series as fed. */
class RoutesOffUiThreadTest {
  private final RoutesViewModel vm = new RoutesViewModel();

  private static Snapshot snapshot(String... extra) {
    Snapshot.Builder s = Snapshot.newBuilder().setConfigVersion(1)
        .addRoutes(route("a", "/api/a", "svc", "GET"))
        .addRoutes(route("b", "/api/b", "svc", "GET"));
    for (String id : extra) {
      s.addRoutes(route(id, "/api/" + id, "svc", "GET"));
    }
    return s.build();
  }

  @Test
  void aRoutesChartSeriesIsWhatWasFedFrameByFrame() {
    vm.applySnapshot(snapshot());
    long[][] counts = {{5, 0, 0, 0, 0, 0}, {0, 3, 0, 0, 0, 0}, {0, 0, 0, 8, 0, 0}};
    for (int s = 0; s < counts.length; s++) {
      vm.applyFrame(frame(100 + s).addRoutes(traffic("a", 0, counts[s]))
          .addRoutes(traffic("b", 0, 0, 0, 0, 0, 2, 0)).build());
    }

    RouteHistory.Points a = vm.row("a").orElseThrow().history().points();
    assertThat(a.size()).isEqualTo(3);
    assertThat(new long[] {a.p50Micros(0), a.p50Micros(1)}).containsExactly(1_000, 2_000);
    assertThat(a.p50Micros(2)).as("log-coded above 1.5 ms: within 0.02 %").isCloseTo(10_000, within(2L));
    assertThat(new double[] {a.requestsPerSecond(0), a.requestsPerSecond(1), a.requestsPerSecond(2)})
        .containsExactly(5, 3, 8);
    assertThat(a.epochMillis(2) - a.epochMillis(0)).isEqualTo(2_000);
    RouteHistory.Points api = vm.root().children().get(0).history().points();
    assertThat(api.requestsPerSecond(2)).as("the segment shows both routes' sum").isEqualTo(10);
    assertThat(api.p99Micros(2)).as("from the merged histogram").isCloseTo(50_000, within(10L));
  }

  @Test
  void aFramePreparedOnAnotherThreadShowsTheSameFiguresOncePublished() throws Exception {
    vm.applySnapshot(snapshot());
    RoutesViewModel.PreparedFrame ready = CompletableFuture.supplyAsync(() -> vm.prepare(
        frame(100).addRoutes(traffic("a", 1, 4, 0, 0, 0, 0, 0)).build())).get();

    assertThat(vm.row("a").orElseThrow().requestsPerSecondProperty().get())
        .as("nothing shows before it is published").isZero();
    vm.publish(ready);

    RouteRow a = vm.row("a").orElseThrow();
    assertThat(a.requestsPerSecondProperty().get()).isEqualTo(4.0);
    assertThat(a.errorPercentProperty().get()).isEqualTo(25.0);
    assertThat(a.hotProperty().get()).isTrue();
  }

  @Test
  void aFramePreparedBeforeTheTreeWasRebuiltIsDroppedNotMisapplied() {
    vm.applySnapshot(snapshot());
    RoutesViewModel.PreparedFrame stale =
        vm.prepare(frame(100).addRoutes(traffic("a", 0, 9, 0, 0, 0, 0, 0)).build());
    vm.applySnapshot(snapshot("c"));

    vm.publish(stale);

    assertThat(vm.row("a").orElseThrow().requestsPerSecondProperty().get()).isZero();
    assertThat(vm.row("c").orElseThrow().requestsPerSecondProperty().get()).isZero();
  }

  @Test
  void aBackgroundReorderShowsWithALaterFrameAndNamesOnlyTheGroupsThatChanged() {
    vm.applySnapshot(snapshot());
    vm.sortBy(RoutesViewModel.Column.RPS, false);
    RouteRow api = vm.root().children().get(0);
    vm.applyFrame(frame(100).addRoutes(traffic("b", 0, 9, 0, 0, 0, 0, 0)).build());
    assertThat(segments(vm.visibleChildren(api))).as("calm: no re-order yet").containsExactly("/a", "/b");

    vm.reorderInBackground();
    long[] second = {101};
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      vm.applyFrame(frame(second[0]++).addRoutes(traffic("b", 0, 9, 0, 0, 0, 0, 0)).build());
      return segments(vm.visibleChildren(api)).equals(List.of("/b", "/a"));
    });
    assertThat(vm.changedParents()).containsExactly(api);
  }

  private static List<String> segments(List<RouteRow> rows) {
    return rows.stream().map(RouteRow::segment).toList();
  }
}
