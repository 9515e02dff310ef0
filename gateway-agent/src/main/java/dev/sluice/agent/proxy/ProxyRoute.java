package dev.sluice.agent.proxy;

import dev.sluice.agent.config.RetryConfig;
import dev.sluice.agent.telemetry.RouteMetrics;
import dev.sluice.agent.telemetry.RouteRecorder;
import dev.sluice.agent.upstream.UpstreamService;
import org.jspecify.annotations.Nullable;

/**
 * A route compiled for the request path: its target service, rewrites, limits, retry policy,
 * pre-created meters and telemetry recorder. Built once per snapshot; immutable apart from the
 * limiter's and recorder's own lock-free state (both outlive the snapshot).
 *
 * @param limiter the rate limit, null when unlimited
 * @param filters the route's filter chain and its rejection counters
 * @param perTryTimeoutMillis the wait for response headers of one attempt
 */
public record ProxyRoute(
        String id,
        UpstreamService service,
        PathRewrite pathRewrite,
        HeaderEdits requestHeaders,
        HeaderEdits responseHeaders,
        long responseTimeoutMillis,
        long maxBodyBytes,
        RouteMetrics metrics,
        @Nullable RouteLimiter limiter,
        RetryConfig retry,
        long perTryTimeoutMillis,
        @Nullable RouteRecorder recorder,
        RouteFilters filters) {

    /** A route without filters. */
    public ProxyRoute(String id, UpstreamService service, PathRewrite pathRewrite, HeaderEdits requestHeaders,
                      HeaderEdits responseHeaders, long responseTimeoutMillis, long maxBodyBytes, RouteMetrics metrics,
                      @Nullable RouteLimiter limiter, RetryConfig retry, long perTryTimeoutMillis,
                      @Nullable RouteRecorder recorder) {
        this(id, service, pathRewrite, requestHeaders, responseHeaders, responseTimeoutMillis, maxBodyBytes, metrics,
                limiter, retry, perTryTimeoutMillis, recorder, RouteFilters.NONE);
    }

    /** A route with no limit, no retries and no telemetry recorder. */
    public ProxyRoute(String id, UpstreamService service, PathRewrite pathRewrite, HeaderEdits requestHeaders,
                      HeaderEdits responseHeaders, long responseTimeoutMillis, long maxBodyBytes, RouteMetrics metrics) {
        this(id, service, pathRewrite, requestHeaders, responseHeaders, responseTimeoutMillis, maxBodyBytes, metrics,
                null, RetryConfig.NONE, responseTimeoutMillis, null);
    }
}
