package dev.sluice.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A route: what it matches, the service it forwards to and how the request is changed on the way.
 * {@code rewritePath} replaces the whole path and may use {@code {param}} placeholders from the
 * match pattern; {@code stripPrefix} removes a leading prefix. At most one of the two is set.
 * A null {@code responseTimeout} means the service's; a null {@code rateLimit} means unlimited.
 * {@code filters} is the route's {@code filters:} block as read from YAML (maps, lists, text, numbers),
 * deeply unmodifiable; it was checked by {@code dev.sluice.agent.filter.FilterChain#build} when the
 * config was loaded, and the snapshot builds the route's chain from it.
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
        RetryConfig retry,
        List<Map<String, Object>> filters) {

    public static final long DEFAULT_MAX_BODY_BYTES = Long.MAX_VALUE;

    public RouteConfig {
        List<Map<String, Object>> copy = new ArrayList<>(filters.size());
        for (Map<String, Object> spec : filters) {
            copy.add(unmodifiableMap(spec));
        }
        filters = Collections.unmodifiableList(copy);
    }

    /** A route without filters. */
    public RouteConfig(String id, RouteMatch match, String service, @Nullable String stripPrefix,
                       @Nullable String rewritePath, HeaderRewrite requestHeaders, HeaderRewrite responseHeaders,
                       @Nullable Duration responseTimeout, long maxBodyBytes, @Nullable RateLimitConfig rateLimit,
                       RetryConfig retry) {
        this(id, match, service, stripPrefix, rewritePath, requestHeaders, responseHeaders, responseTimeout,
                maxBodyBytes, rateLimit, retry, List.of());
    }

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
                responseTimeout, maxBodyBytes, limit, retry, filters);
    }

    /** This route with another {@code filters:} block. */
    public RouteConfig withFilters(List<Map<String, Object>> specs) {
        return new RouteConfig(id, match, service, stripPrefix, rewritePath, requestHeaders, responseHeaders,
                responseTimeout, maxBodyBytes, rateLimit, retry, specs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> unmodifiableMap(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            copy.put(e.getKey(), unmodifiable(e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object unmodifiable(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return unmodifiableMap((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(unmodifiable(item));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
