package dev.sluice.agent.filter;

/**
 * One single-purpose step of a route's filter chain (Zuul 2 style). {@link #onRequest} sees the
 * request head before an upstream is chosen and either lets it continue or answers it; {@link
 * #onResponse} sees the response head of every request whose {@code onRequest} ran, including
 * responses the gateway produced itself. Both run on the event loop: no blocking, no I/O.
 */
public interface RequestFilter {

    /** The name used in the route's {@code filters:} block, e.g. {@code jwt-auth}. */
    String name();

    FilterDecision onRequest(FilterContext ctx);

    default void onResponse(ResponseContext ctx) {}
}
