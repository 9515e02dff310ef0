package dev.sluice.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;

class OpenChartsTest {

  @Test
  void namesKeepOnlyWhatAnExportAcceptsInAFileName() {
    assertThat(OpenCharts.name("route", "users/get", "p50-p99"))
        .isEqualTo("route-users_get-p50-p99");
    assertThat(OpenCharts.name("path", "/api/v1/users", "latency-histogram"))
        .isEqualTo("path-_api_v1_users-latency-histogram");
    assertThat(OpenCharts.name("__", "")).as("an export name starts with a letter or digit")
        .isEqualTo("chart");
  }

  @Test
  void collectsTheChartsThatShowSomethingInLayoutOrderWithUniqueNames() {
    Pane first = new Pane();
    Pane empty = new Pane();
    Pane second = new Pane();
    OpenCharts.register(first,
        () -> new OpenCharts.Chart("route-a-latency", "a latency", List.of("a")));
    OpenCharts.register(empty, () -> null);
    OpenCharts.register(second,
        () -> new OpenCharts.Chart("route-a-latency", "a again", List.of("a")));
    VBox root = new VBox(first, new VBox(empty, second));

    List<OpenCharts.Shown> shown = OpenCharts.under(root);

    assertThat(shown).extracting(s -> s.chart().name())
        .containsExactly("route-a-latency", "route-a-latency-2");
    assertThat(shown).extracting(OpenCharts.Shown::node).containsExactly(first, second);
  }
}
