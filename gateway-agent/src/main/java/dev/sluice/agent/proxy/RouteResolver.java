package dev.sluice.agent.proxy;

import org.jspecify.annotations.Nullable;

/**
 * What the proxy asks of the routing table held by a snapshot: normalize a raw path, then find the
 * route for (host, method, path). Implementations are immutable and lock-free.
 */
public interface RouteResolver {

    /** The normalized path, or null when the raw path is malformed (the client gets a 400). */
    @Nullable String normalize(String rawPath);

    /**
     * The route for a request; {@code host} is the Host header as received ("" when there is
     * none): case and a {@code :port} suffix are the resolver's to ignore.
     */
    Resolution resolve(String host, String method, String normalizedPath);

    /** Whether a route was found, and if not, whether the path exists for other methods. */
    enum Outcome { FOUND, NOT_FOUND, METHOD_NOT_ALLOWED }

    /** One lookup's answer. {@link #route()} is non-null exactly when the outcome is FOUND. */
    interface Resolution {
        Outcome outcome();

        @Nullable ProxyRoute route();

        /** A path parameter's value, or null. */
        @Nullable String param(String name);

        /** The {@code Allow} header value for METHOD_NOT_ALLOWED. */
        String allowHeader();
    }
}
