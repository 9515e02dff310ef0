package dev.sluice.agent.testing;

import dev.sluice.agent.runtime.RouteResolverFactory;

/** The routing used by agents started in tests. */
public final class TestRouting {

    public static final RouteResolverFactory FACTORY = LinearRouteResolver::new;

    private TestRouting() {}
}
