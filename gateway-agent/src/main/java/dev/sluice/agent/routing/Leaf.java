package dev.sluice.agent.routing;

import org.jspecify.annotations.Nullable;

/**
 * Where one or more routes end: the lookup to return per method number, the any-method fallback,
 * and the methods it accepts as an Allow mask. For routes without parameters the FOUND lookups are
 * returned as they are; with parameters each match gets a fresh copy to fill.
 */
final class Leaf<T> {

  static final long ALL_METHODS = -1L;

  final String[] paramNames;
  private final @Nullable RouteLookup<T>[] byMethod;
  private final @Nullable RouteLookup<T> anyMethod;
  final long allowMask;

  Leaf(String[] paramNames, @Nullable RouteLookup<T>[] byMethod, @Nullable RouteLookup<T> anyMethod) {
    this.paramNames = paramNames;
    this.byMethod = byMethod;
    this.anyMethod = anyMethod;
    long mask = 0;
    for (int i = 0; i < byMethod.length; i++) {
      if (byMethod[i] != null) {
        mask |= 1L << i;
      }
    }
    this.allowMask = anyMethod != null ? ALL_METHODS : mask;
  }

  /** The lookup for method number {@code method} (-1: a method no route names), or null. */
  @Nullable RouteLookup<T> lookup(int method) {
    if (method >= 0 && method < byMethod.length) {
      RouteLookup<T> specific = byMethod[method];
      if (specific != null) {
        return specific;
      }
    }
    return anyMethod;
  }
}
