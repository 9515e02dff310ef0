package dev.sluice.console.routes;

import static dev.sluice.console.support.Protos.frame;
import static dev.sluice.console.support.Protos.route;
import static dev.sluice.console.support.Protos.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.console.support.Protos;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutesViewModelTest {
  private final RoutesViewModel vm = new RoutesViewModel();

  private static Snapshot snapshot() {
    return Snapshot.newBuilder()
        .setConfigVersion(4)
        .addRoutes(route("users-list", "/api/v1/users", "users", "GET"))
        .addRoutes(route("users-get", "/api/v1/users/:id", "users", "GET"))
        .addRoutes(route("users-update", "/api/v1/users/:id", "users", "PUT"))
        .addRoutes(route("orders-get", "/api/v1/orders/:id", "orders", "GET"))
        .addRoutes(route("static", "/static/*path", "static-assets", "GET"))
        .addBreakers(Protos.breaker("users", BreakerState.BREAKER_STATE_CLOSED,
            BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN, "users-list", "users-get", "users-update"))
        .build();
  }

  @Test
  void buildsOneNodePerPathSegmentWithRoutesOnTheirNodes() {
    vm.applySnapshot(snapshot());

    RouteRow api = only(vm.root().children(), "/api");
    RouteRow v1 = only(api.children(), "/v1");
    assertThat(segments(v1.children())).containsExactly("/orders", "/users");
    RouteRow users = only(v1.children(), "/users");
    assertThat(users.route().getId()).isEqualTo("users-list");
    RouteRow id = only(users.children(), "/:id");
    assertThat(id.path()).isEqualTo("/api/v1/users/:id");
    assertThat(id.route()).as("two routes share the path, so each gets a child").isNull();
    assertThat(segments(id.children())).containsExactly("GET", "PUT");
    assertThat(only(vm.root().children(), "/static").children().get(0).segment())
        .isEqualTo("/*path");
    assertThat(vm.routeCount()).isEqualTo(5);
  }

  @Test
  void theThreeBusiestRoutesWithTrafficAreHot() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(100)
        .addRoutes(traffic("users-list", 0, 5, 0, 0, 0, 0, 0))
        .addRoutes(traffic("users-get", 0, 50, 0, 0, 0, 0, 0))
        .addRoutes(traffic("orders-get", 0, 20, 0, 0, 0, 0, 0))
        .addRoutes(traffic("static", 0, 1, 0, 0, 0, 0, 0))
        .build());

    assertThat(List.of("users-list", "users-get", "users-update", "orders-get", "static").stream()
        .filter(id -> vm.row(id).orElseThrow().hotProperty().get()).toList())
        .containsExactlyInAnyOrder("users-get", "orders-get", "users-list");

    vm.applyFrame(frame(101).addRoutes(traffic("static", 0, 3, 0, 0, 0, 0, 0)).build());

    assertThat(vm.row("static").orElseThrow().hotProperty().get()).isTrue();
    assertThat(vm.row("users-get").orElseThrow().hotProperty().get())
        .as("no traffic this interval, so not hot").isFalse();
  }

  @Test
  void aSegmentWithOneChildSharesItsChildsHistoryInsteadOfKeepingACopy() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(100).addRoutes(traffic("static", 0, 5, 0, 0, 0, 0, 0)).build());
    vm.applyFrame(frame(101).addRoutes(traffic("static", 0, 0, 7, 0, 0, 0, 0)).build());

    RouteRow staticSegment = only(vm.root().children(), "/static");
    RouteRow staticRoute = vm.row("static").orElseThrow();
    RouteRow api = only(vm.root().children(), "/api");
    RouteRow v1 = only(api.children(), "/v1");
    assertThat(staticSegment.history()).isSameAs(staticRoute.history());
    assertThat(staticSegment.history().size()).isEqualTo(2);
    assertThat(staticSegment.minuteRequests()).isEqualTo(12);
    assertThat(staticSegment.requestsPerSecondProperty().get()).isEqualTo(7.0);
    assertThat(api.history()).isSameAs(v1.history());
    assertThat(v1.history()).as("two children: its own merged history")
        .isNotSameAs(only(v1.children(), "/users").history());
  }

  @Test
  void theMinuteHistogramSumsTheFramesOfTheLastMinute() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(100).addRoutes(traffic("users-list", 1, 8, 1, 1, 0, 0, 0)).build());
    vm.applyFrame(frame(101).addRoutes(traffic("users-list", 0, 0, 0, 0, 4, 0, 0)).build());

    RouteRow list = vm.row("users-list").orElseThrow();
    assertThat(list.minuteRequests()).isEqualTo(14);
    assertThat(list.minuteHistogram().count(0)).isEqualTo(8);
    assertThat(list.minuteHistogram().count(3)).isEqualTo(4);
    assertThat(list.minuteStatuses().serverError()).isEqualTo(1);

    vm.applyFrame(frame(175).addRoutes(traffic("users-list", 0, 2, 0, 0, 0, 0, 0)).build());
    assertThat(list.minuteRequests()).as("frames older than a minute drop out").isEqualTo(2);
  }

  @Test
  void liveFiguresLandOnTheRouteAndSegmentsShowMergedTotals() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(100)
        .addRoutes(traffic("users-list", 1, 8, 1, 1, 0, 0, 0))
        .addRoutes(traffic("users-get", 0, 0, 0, 0, 0, 10, 0))
        .build());

    RouteRow list = vm.row("users-list").orElseThrow();
    assertThat(list.requestsPerSecondProperty().get()).isEqualTo(10.0);
    assertThat(list.errorPercentProperty().get()).isEqualTo(10.0);
    assertThat(list.p50MicrosProperty().get()).isEqualTo(1_000);
    assertThat(list.breakerProperty().get().styleClass()).isEqualTo("breaker-open");

    RouteRow v1 = vm.root().children().get(0).children().get(0);
    assertThat(v1.requestsPerSecondProperty().get()).isEqualTo(20.0);
    // Merged buckets: 8, 1, 1, 0, 10 → p99 rank 20 falls in the 50 ms bucket.
    assertThat(v1.p99MicrosProperty().get()).isEqualTo(50_000);
    assertThat(v1.breakerProperty().get().text()).isEmpty();
  }

  @Test
  void sortOrderHoldsBetweenReorderTicksWhileValuesChange() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(1).addRoutes(traffic("users-get", 0, 50, 0, 0, 0, 0, 0))
        .addRoutes(traffic("users-update", 0, 5, 0, 0, 0, 0, 0)).build());
    vm.sortBy(RoutesViewModel.Column.RPS, false);
    RouteRow id = vm.row("users-get").orElseThrow();
    RouteRow parent = vm.root().children().get(0).children().get(0).children().get(1)
        .children().get(0);
    assertThat(parent.path()).isEqualTo("/api/v1/users/:id");
    assertThat(segments(vm.visibleChildren(parent))).containsExactly("GET", "PUT");
    int layoutBefore = vm.layoutProperty().get();

    vm.applyFrame(frame(2).addRoutes(traffic("users-get", 0, 1, 0, 0, 0, 0, 0))
        .addRoutes(traffic("users-update", 0, 90, 0, 0, 0, 0, 0)).build());

    assertThat(id.requestsPerSecondProperty().get()).isEqualTo(1.0);
    assertThat(segments(vm.visibleChildren(parent))).containsExactly("GET", "PUT");
    assertThat(vm.layoutProperty().get()).isEqualTo(layoutBefore);

    vm.reorder();

    assertThat(segments(vm.visibleChildren(parent))).containsExactly("PUT", "GET");
    assertThat(vm.layoutProperty().get()).isGreaterThan(layoutBefore);
  }

  @Test
  void filterKeepsMatchingRoutesWithTheirAncestors() {
    vm.applySnapshot(snapshot());
    vm.filterProperty().set("orders");

    RouteRow api = only(vm.visibleChildren(vm.root()), "/api");
    RouteRow v1 = only(vm.visibleChildren(api), "/v1");
    assertThat(segments(vm.visibleChildren(v1))).containsExactly("/orders");
    assertThat(segments(vm.visibleChildren(vm.root()))).containsExactly("/api");
  }

  @Test
  void minimumRpsHidesQuietRoutes() {
    vm.applySnapshot(snapshot());
    vm.applyFrame(frame(1).addRoutes(traffic("static", 0, 30, 0, 0, 0, 0, 0)).build());
    vm.minimumRpsProperty().set(10);

    assertThat(segments(vm.visibleChildren(vm.root()))).containsExactly("/static");
  }

  @Test
  void rowsSurviveASnapshotThatKeepsTheirRoutes() {
    vm.applySnapshot(snapshot());
    RouteRow before = vm.row("orders-get").orElseThrow();

    vm.applySnapshot(snapshot().toBuilder().setConfigVersion(5)
        .addRoutes(route("orders-list", "/api/v1/orders", "orders", "GET")).build());

    assertThat(vm.row("orders-get")).containsSame(before);
    assertThat(vm.row("orders-list").orElseThrow().path()).isEqualTo("/api/v1/orders");
  }

  private static RouteRow only(List<RouteRow> rows, String segment) {
    return rows.stream().filter(r -> r.segment().equals(segment)).findFirst().orElseThrow();
  }

  private static List<String> segments(List<RouteRow> rows) {
    return rows.stream().map(RouteRow::segment).toList();
  }
}
