package dev.sluice.agent.config;

import java.util.Set;

/**
 * What a route matches: a host ({@code ""} = any host), a path pattern with {@code :param} segments
 * and an optional trailing {@code *wildcard}, and methods (empty = any method).
 */
public record RouteMatch(String host, String path, Set<String> methods) {

    public RouteMatch {
        methods = Set.copyOf(methods);
    }
}
