package dev.sluice.agent.routing;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link RouteTable#find}: the route's value and captured parameters, or why there is
 * none. Lookups for routes without parameters are shared, preallocated instances, so callers must
 * not rely on identity.
 */
public final class RouteLookup<T> {

  /** What a lookup found: a route, nothing (404), or routes for other methods only (405). */
  public enum Outcome {
    FOUND,
    NOT_FOUND,
    METHOD_NOT_ALLOWED
  }

  private static final RouteLookup<?> NOT_FOUND =
      new RouteLookup<>(Outcome.NOT_FOUND, null, PathParams.empty(), "");

  private final Outcome outcome;
  private final @Nullable T value;
  private final PathParams params;
  private final String allowHeader;

  private RouteLookup(Outcome outcome, @Nullable T value, PathParams params, String allowHeader) {
    this.outcome = outcome;
    this.value = value;
    this.params = params;
    this.allowHeader = allowHeader;
  }

  static <T> RouteLookup<T> found(T value, PathParams params) {
    return new RouteLookup<>(Outcome.FOUND, value, params, "");
  }

  @SuppressWarnings("unchecked")
  static <T> RouteLookup<T> notFound() {
    return (RouteLookup<T>) NOT_FOUND;
  }

  static <T> RouteLookup<T> methodNotAllowed(String allowHeader) {
    return new RouteLookup<>(Outcome.METHOD_NOT_ALLOWED, null, PathParams.empty(), allowHeader);
  }

  /** A fresh FOUND lookup with the same value and unfilled parameter bounds into {@code path}. */
  RouteLookup<T> withFreshParams(String[] names, String path) {
    return new RouteLookup<>(Outcome.FOUND, value, new PathParams(names, path), "");
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The route's value; non-null iff {@link #outcome()} is FOUND. */
  public @Nullable T value() {
    return value;
  }

  /** The captured parameters; empty unless FOUND. */
  public PathParams params() {
    return params;
  }

  /** For METHOD_NOT_ALLOWED the methods the path accepts, e.g. "GET, HEAD, POST" (sorted); "" otherwise. */
  public String allowHeader() {
    return allowHeader;
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case FOUND -> "FOUND " + value + " " + params;
      case NOT_FOUND -> "NOT_FOUND";
      case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED Allow: " + allowHeader;
    };
  }
}
