package dev.sluice.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetViewModelTest {
  private static final long[] BOUNDS = {1_000, 10_000};

  @Test
  void showsTheFirstClusterAndTheChosenRoutesAgentsAndKeepsThemAcrossRefreshes() {
    List<FleetFiguresTest.Agent> members = new ArrayList<>(List.of(
        new FleetFiguresTest.Agent("edge-1", "eu", true, Map.of("users-get", sample(10))),
        new FleetFiguresTest.Agent("edge-2", "eu", true, Map.of("users-get", sample(30)))));
    FleetViewModel vm = new FleetViewModel(() -> members);

    vm.refresh();
    vm.routeProperty().set("users-get");

    assertThat(vm.clusterProperty().get()).isEqualTo("eu");
    assertThat(vm.agentsProperty().get()).isEqualTo("2 agents: edge-1, edge-2");
    assertThat(vm.routes()).singleElement()
        .satisfies(r -> assertThat(r.merged().requests()).isEqualTo(40));
    assertThat(vm.drillDown()).extracting(FleetFigures.AgentSample::agentId)
        .containsExactly("edge-1", "edge-2");

    members.add(new FleetFiguresTest.Agent("edge-9", "us", true, Map.of("users-get", sample(5))));
    members.set(1, new FleetFiguresTest.Agent("edge-2", "eu", false, Map.of("users-get", sample(30))));
    vm.refresh();

    assertThat(vm.clusters()).containsExactly("eu", "us");
    assertThat(vm.clusterProperty().get()).isEqualTo("eu");
    assertThat(vm.agentsProperty().get()).endsWith("1 not live, left out of the figures");
    assertThat(vm.routes().get(0).merged().requests()).isEqualTo(10);
    assertThat(vm.drillDown()).hasSize(2);
  }

  private static RouteSample sample(long requests) {
    LatencyHistogram h = LatencyHistogram.of(BOUNDS, new long[] {requests, 0, 0});
    return new RouteSample("users-get", requests, 0, 0, 1.0, h, 1_000, 1_000);
  }
}
