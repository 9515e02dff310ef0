package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.time.Instant;

/**
 * One route's summary over one history step. Counts are exact; latencies are in microseconds, from
 * the step's merged histogram, kept to within 2.5 % (see {@link HistoryRing}); p99.9 and bucket
 * counts are not kept.
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
