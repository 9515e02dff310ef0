package dev.sluice.console.support;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.LatencyHistogram;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.StatusClassCounts;
import dev.sluice.admin.v1.TelemetryFrame;
import java.util.Arrays;

/** Small builders for admin API messages in view-model tests. */
public final class Protos {
  /** Bucket bounds of every test frame: 1, 2, 5, 10, 50 ms. */
  public static final long[] BOUNDS = {1_000, 2_000, 5_000, 10_000, 50_000};

  private Protos() {}

  public static Route route(String id, String path, String service, String... methods) {
    return Route.newBuilder()
        .setId(id)
        .setMatch(RouteMatch.newBuilder().setPath(path).addAllMethods(Arrays.asList(methods)))
        .setService(service)
        .build();
  }

  public static Breaker breaker(String service, BreakerState state, BreakerOverride override,
      String... routeIds) {
    return Breaker.newBuilder().setService(service).setComputedState(state).setOverride(override)
        .addAllRouteIds(Arrays.asList(routeIds)).build();
  }

  /** One-second frame starting at {@code second}. */
  public static TelemetryFrame.Builder frame(long second) {
    TelemetryFrame.Builder f = TelemetryFrame.newBuilder()
        .setTime(Timestamp.newBuilder().setSeconds(second))
        .setInterval(Duration.newBuilder().setSeconds(1));
    for (long b : BOUNDS) {
      f.addLatencyBoundsMicros(b);
    }
    return f;
  }

  /** A route's second with {@code counts} per bucket (6 entries) and {@code errors} 5xx. */
  public static RouteTelemetry traffic(String routeId, long errors, long... counts) {
    long total = Arrays.stream(counts).sum();
    var h = dev.sluice.console.telemetry.LatencyHistogram.of(BOUNDS, counts);
    LatencyHistogram.Builder hb = LatencyHistogram.newBuilder();
    for (long c : counts) {
      hb.addCounts(c);
    }
    return RouteTelemetry.newBuilder()
        .setRouteId(routeId)
        .setRequests(total)
        .setStatuses(StatusClassCounts.newBuilder().setSuccess(total - errors).setServerError(errors))
        .setHistogram(hb)
        .setLatency(Percentiles.newBuilder().setP50Micros(h.percentileMicros(0.5))
            .setP99Micros(h.percentileMicros(0.99)))
        .build();
  }
}
