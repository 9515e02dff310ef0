package dev.sluice.agent.routing;

/** One host's routes: the radix tree, and the static routes indexed by whole path in front of it. */
record RouteTree<T>(RadixNode<T> root, StaticIndex<T> staticRoutes) {}
