package dev.sluice.agent.filter;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The {@link FilterContext} (and, through {@link #responseContext}, the {@link ResponseContext}) of
 * one request, reusable: a connection keeps
 * one and calls {@link #begin} for each request, so running a chain allocates nothing of its own;
 * {@link #connectionState()} survives from one request of the connection to the next.
 * Not thread-safe; it belongs to one connection's event loop.
 */
public final class FilterExchange implements FilterContext {

    private final @Nullable Object[] states = new Object[FilterChain.MAX_FILTERS];
    /** Kept across {@link #begin} calls: per connection, per filter position. */
    private final @Nullable Object[] connectionStates = new Object[FilterChain.MAX_FILTERS];
    private int current;
    /** How many filters of the chain had their onRequest called; only those see the response. */
    int reached;

    private HttpMethod method = HttpMethod.GET;
    private String path = "/";
    private PathParamSource params = PathParamSource.NONE;
    private @Nullable String rawQuery;
    private HttpHeaders headers = EmptyHttpHeaders.INSTANCE;
    private String clientIp = "-";
    private String requestId = "-";
    private int status;
    private HttpHeaders responseHeaders = EmptyHttpHeaders.INSTANCE;

    /** Starts a new request; forgets everything about the previous one. */
    public FilterExchange begin(HttpMethod method, String path, PathParamSource params, @Nullable String rawQuery,
            HttpHeaders headers, String clientIp, String requestId) {
        this.method = method;
        this.path = path;
        this.params = params;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.clientIp = clientIp;
        this.requestId = requestId;
        this.status = 0;
        this.responseHeaders = EmptyHttpHeaders.INSTANCE;
        this.reached = 0;
        this.current = 0;
        Arrays.fill(states, null);
        return this;
    }

    /** Sets the response head the response phase will see and edit. */
    public FilterExchange response(int status, HttpHeaders headers) {
        this.status = status;
        this.responseHeaders = headers;
        return this;
    }

    void enter(int filterIndex) {
        current = filterIndex;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public @Nullable String pathParam(String name) {
        return params.param(name);
    }

    @Override
    public @Nullable String rawQuery() {
        return rawQuery;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public @Nullable Object state() {
        return states[current];
    }

    @Override
    public void state(@Nullable Object value) {
        states[current] = value;
    }

    @Override
    public @Nullable Object connectionState() {
        return connectionStates[current];
    }

    @Override
    public void connectionState(@Nullable Object value) {
        connectionStates[current] = value;
    }

    /** The response phase's view of this exchange; valid after {@link #response}. */
    public ResponseContext responseContext() {
        return responseView;
    }

    private final ResponseContext responseView = new ResponseContext() {
        @Override
        public FilterContext request() {
            return FilterExchange.this;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public HttpHeaders headers() {
            return responseHeaders;
        }
    };
}
