package dev.sluice.console.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouteHistoryTest {
  @Test
  void keepsTheNewestPointsOldestFirstOnceFull() {
    RouteHistory history = new RouteHistory();
    Instant start = Instant.parse("2026-11-25T10:00:00Z");
    for (int i = 0; i < RouteHistory.CAPACITY + 10; i++) {
      history.add(start.plusSeconds(i), i, 2L * i, i / 2.0);
    }

    RouteHistory.Points points = history.points();
    assertThat(points.size()).isEqualTo(RouteHistory.CAPACITY);
    assertThat(points.epochMillis(0)).isEqualTo(start.plusSeconds(10).toEpochMilli());
    assertThat(points.p99Micros(0)).isEqualTo(20);
    int last = RouteHistory.CAPACITY - 1;
    assertThat(points.p50Micros(last)).isEqualTo(RouteHistory.CAPACITY + 9);
    assertThat(points.requestsPerSecond(last)).isEqualTo((RouteHistory.CAPACITY + 9) / 2.0);
  }

  @Test
  void absentPercentilesStayAbsent() {
    RouteHistory history = new RouteHistory();
    history.add(Instant.EPOCH, -1, -1, 0);

    assertThat(history.points().p99Micros(0)).isEqualTo(-1);
  }
}
