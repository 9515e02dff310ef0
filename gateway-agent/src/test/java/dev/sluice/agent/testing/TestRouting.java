package dev.sluice.agent.testing;

import dev.sluice.agent.runtime.RouteResolverFactory;
import dev.sluice.agent.runtime.RouterResolverFactory;

/** The routing used by agents started in tests: the production router. */
public final class TestRouting {

    public static final RouteResolverFactory FACTORY = new RouterResolverFactory();

    private TestRouting() {}
}
