package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.time.Instant;

/**
 * One route's summary over one history step. Latencies are in microseconds, kept to within 0.5 %
 * (see {@link HistoryRing}); p99.9 and buckets are not kept.
 */
public record HistoryPoint(
    Instant start,
    long requests,
    StatusCounts statuses,
    ErrorCounts errors,
    long rateLimited,
    long p50Micros,
    long p90Micros,
    long p99Micros,
    long maxMicros) {}
