package dev.sluice.agent.proxy;

import dev.sluice.agent.telemetry.RouteMetrics;
import dev.sluice.agent.upstream.UpstreamService;

/**
 * A route compiled for the request path: its target service, rewrites, limits and pre-created
 * meters. Built once per snapshot; immutable.
 */
public record ProxyRoute(
        String id,
        UpstreamService service,
        PathRewrite pathRewrite,
        HeaderEdits requestHeaders,
        HeaderEdits responseHeaders,
        long responseTimeoutMillis,
        long maxBodyBytes,
        RouteMetrics metrics) {}
