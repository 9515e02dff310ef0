package dev.sluice.agent.filter;

import java.util.List;

/**
 * The fixed order of a request's journey through the gateway, whatever order a route lists its
 * filters in. Stages marked {@link #ownedByProxy()} are done by the proxy itself and only hold their
 * place here; the others are filters a route configures by name. CORS comes before authentication so
 * that preflights (which carry no credentials) are answered and 401s still carry CORS headers.
 */
public enum FilterStage {
    REQUEST_ID(true, List.of()),
    ACCESS_LOG(true, List.of()),
    CORS(false, List.of(CorsSettings.NAME)),
    AUTHENTICATION(false, List.of(JwtAuthSettings.NAME, ApiKeyAuthSettings.NAME)),
    REQUEST_VALIDATION(false, List.of(RequestValidationSettings.NAME)),
    RATE_LIMIT(true, List.of()),
    HEADER_REWRITE(true, List.of()),
    RESPONSE_SIZE_GUARD(false, List.of(ResponseSizeSettings.NAME));

    private final boolean ownedByProxy;
    private final List<String> filterNames;

    FilterStage(boolean ownedByProxy, List<String> filterNames) {
        this.ownedByProxy = ownedByProxy;
        this.filterNames = filterNames;
    }

    public boolean ownedByProxy() {
        return ownedByProxy;
    }

    /** The names usable in a route's {@code filters:} block for this stage (at most one per route). */
    public List<String> filterNames() {
        return filterNames;
    }

    static FilterStage of(String filterName) {
        for (FilterStage stage : values()) {
            if (stage.filterNames.contains(filterName)) {
                return stage;
            }
        }
        throw new IllegalArgumentException(filterName);
    }
}
