package dev.sluice.agent.filter;

import org.jspecify.annotations.Nullable;

/** Looks up the path parameters of the route match; the proxy adapts its route resolution to it. */
@FunctionalInterface
public interface PathParamSource {

    PathParamSource NONE = name -> null;

    @Nullable String param(String name);
}
