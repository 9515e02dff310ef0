package dev.sluice.agent.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * What a filter sees of a request: its head, where it came from and a per-request state slot of its
 * own. The headers are the ones that will be forwarded, so a filter may add or remove headers
 * (forwarded claims, stripped credentials).
 */
public interface FilterContext {

    HttpMethod method();

    /** The normalized path, without the query. */
    String path();

    /** A path parameter captured by the route pattern (still percent-encoded), or null. */
    @Nullable String pathParam(String name);

    /** The raw query after '?', or null when the request target has none. */
    @Nullable String rawQuery();

    HttpHeaders headers();

    String clientIp();

    String requestId();

    /** What this filter stored for this request with {@link #state(Object)}, or null. */
    @Nullable Object state();

    /** Stores a value for this filter and this request; the response phase reads it back. */
    void state(@Nullable Object value);

    /**
     * What was stored with {@link #connectionState(Object)} at this filter's position by an earlier
     * request on the same connection, or null. That request may have taken another route, so the value
     * may belong to another filter: check that it is your own before using it.
     */
    @Nullable Object connectionState();

    /** Keeps a value for the following requests of this connection (e.g. the last verified token). */
    void connectionState(@Nullable Object value);
}
