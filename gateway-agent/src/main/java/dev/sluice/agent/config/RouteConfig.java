package dev.sluice.agent.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A route: what it matches, the service it forwards to and how the request is changed on the way.
 * {@code rewritePath} replaces the whole path and may use {@code {param}} placeholders from the
 * match pattern; {@code stripPrefix} removes a leading prefix. At most one of the two is set.
 * A null {@code responseTimeout} means the service's; a null {@code rateLimit} means unlimited.
 */
public record RouteConfig(
        String id,
        RouteMatch match,
        String service,
        @Nullable String stripPrefix,
        @Nullable String rewritePath,
        HeaderRewrite requestHeaders,
        HeaderRewrite responseHeaders,
        @Nullable Duration responseTimeout,
        long maxBodyBytes,
        @Nullable RateLimitConfig rateLimit,
        RetryConfig retry) {

    public static final long DEFAULT_MAX_BODY_BYTES = Long.MAX_VALUE;

    /** A route with no rate limit and no retries. */
    public RouteConfig(String id, RouteMatch match, String service, @Nullable String stripPrefix,
                       @Nullable String rewritePath, HeaderRewrite requestHeaders, HeaderRewrite responseHeaders,
                       @Nullable Duration responseTimeout, long maxBodyBytes) {
        this(id, match, service, stripPrefix, rewritePath, requestHeaders, responseHeaders, responseTimeout,
                maxBodyBytes, null, RetryConfig.NONE);
    }

    /** This route with another limit (null: unlimited). */
    public RouteConfig withRateLimit(@Nullable RateLimitConfig limit) {
        return new RouteConfig(id, match, service, stripPrefix, rewritePath, requestHeaders, responseHeaders,
                responseTimeout, maxBodyBytes, limit, retry);
    }
}
