package dev.sluice.agent.proxy;

import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.filter.FilterChain;
import dev.sluice.agent.filter.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * A route's compiled filter chain and its rejection counters ({@code sluice_filter_rejections_total{route,
 * reason}}, one per {@link RejectionReason}, created up front so counting allocates nothing). Built with
 * each snapshot, so a reload rebuilds every chain (and re-reads JWKS files) together with the route table.
 */
public final class RouteFilters {

    public static final RouteFilters NONE = new RouteFilters(FilterChain.EMPTY, new Counter[0]);

    private final FilterChain chain;
    private final Counter[] rejections;

    private RouteFilters(FilterChain chain, Counter[] rejections) {
        this.chain = chain;
        this.rejections = rejections;
    }

    /**
     * Builds the chain of a route whose config was validated. A chain that no longer builds (a JWKS file
     * changed in between) is an error, never an empty chain: a route must not lose its authentication.
     */
    public static RouteFilters build(RouteConfig route, MeterRegistry registry, Clock clock) {
        if (route.filters().isEmpty()) {
            return NONE;
        }
        FilterChain.Result built = FilterChain.build(route.filters(), "route '" + route.id() + "'.filters", clock);
        FilterChain chain = built.chain();
        if (chain == null) {
            throw new IllegalStateException("the filters of route '" + route.id() + "' no longer build: " + built.violations());
        }
        RejectionReason[] reasons = RejectionReason.values();
        Counter[] counters = new Counter[reasons.length];
        for (RejectionReason reason : reasons) {
            counters[reason.ordinal()] = Counter.builder("sluice.filter.rejections")
                    .description("Requests and responses refused by a route's filters")
                    .tags("route", route.id(), "reason", reason.label())
                    .register(registry);
        }
        return new RouteFilters(chain, counters);
    }

    public FilterChain chain() {
        return chain;
    }

    void rejected(RejectionReason reason) {
        rejections[reason.ordinal()].increment();
    }
}
