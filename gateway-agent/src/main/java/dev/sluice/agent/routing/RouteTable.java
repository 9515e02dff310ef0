package dev.sluice.agent.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Immutable routing table; lookups are lock-free; build a new one to change routes.
 *
 * <p>One compressed radix tree per host plus the default host, with the fully static routes also
 * indexed by whole path. {@link #find} allocates nothing for routes without parameters and, for
 * routes with them, one lookup holding the value positions (the strings are cut on demand). Matching rules are
 * described in the {@linkplain dev.sluice.agent.routing package documentation}.
 */
public final class RouteTable<T> {

  private static final RouteTable<?> EMPTY = new Builder<>().build().table();

  private final RouteTree<T> defaultTree;
  private final @Nullable HostIndex<T> hosts;
  private final HttpMethods methods;
  /** Sorted Allow masks of single leaves, with their preallocated 405 lookups. */
  private final long[] notAllowedMasks;
  private final RouteLookup<T>[] notAllowed;
  private final int size;

  RouteTable(
      RouteTree<T> defaultTree,
      @Nullable HostIndex<T> hosts,
      HttpMethods methods,
      long[] notAllowedMasks,
      RouteLookup<T>[] notAllowed,
      int size) {
    this.defaultTree = defaultTree;
    this.hosts = hosts;
    this.methods = methods;
    this.notAllowedMasks = notAllowedMasks;
    this.notAllowed = notAllowed;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <T> RouteTable<T> empty() {
    return (RouteTable<T>) EMPTY;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /**
   * Finds the route for a request.
   *
   * @param host Host header value (case-insensitive; a ":port" suffix is ignored; null or unknown
   *     hosts fall back to the default host)
   * @param method upper-case HTTP method
   * @param path already normalized by {@link PathNormalizer} (no query string)
   */
  public RouteLookup<T> find(@Nullable String host, String method, String path) {
    RouteTree<T> tree = defaultTree;
    HostIndex<T> h = hosts;
    if (h != null && host != null) {
      RouteTree<T> hostTree = h.find(host);
      if (hostTree != null) {
        tree = hostTree;
      }
    }
    int methodNumber = methods.indexOf(method);
    Leaf<T> staticLeaf = tree.staticRoutes().get(path);
    if (staticLeaf != null) {
      RouteLookup<T> found = staticLeaf.lookup(methodNumber);
      if (found != null) {
        return found;
      }
    }
    RadixNode<T> root = tree.root();
    if (!root.prefixMatches(path, 0, 0)) {
      return RouteLookup.notFound();
    }
    RouteLookup<T> found = match(root, path, root.prefixLength, methodNumber);
    if (found != null) {
      return found;
    }
    long allowed = allowedMethods(root, path, root.prefixLength);
    return allowed == 0 ? RouteLookup.notFound() : methodNotAllowed(allowed);
  }

  /** The number of routes in the table (added routes that had no conflict). */
  public int size() {
    return size;
  }

  /**
   * Depth-first search in priority order (static child, then parameter, then wildcard), backtracking
   * when a branch has no route for this method. Iterates instead of recursing while a node offers
   * no alternative to come back to, which is the common case for static paths.
   */
  private @Nullable RouteLookup<T> match(RadixNode<T> start, String path, int from, int method) {
    final int length = path.length();
    RadixNode<T> node = start;
    int pos = from;
    while (true) {
      if (pos == length) {
        return matchEnd(node, path, pos, method);
      }
      RadixNode<T> child = node.child(path.charAt(pos));
      if (child == null || !child.prefixMatches(path, pos, 1)) {
        break;
      }
      if (node.param == null && node.wildcard == null) {
        node = child;
        pos += child.prefixLength;
        continue;
      }
      RouteLookup<T> found = match(child, path, pos + child.prefixLength, method);
      if (found != null) {
        return found;
      }
      break;
    }
    RadixNode<T> param = node.param;
    if (param != null) {
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = length;
      }
      if (end > pos && param.prefixMatches(path, end, 0)) {
        RouteLookup<T> found = match(param, path, end + param.prefixLength, method);
        if (found != null) {
          // The lookup was created for this match (its route has parameters) and is not yet shared.
          found.params().set(node.paramSlot, pos, end);
          return found;
        }
      }
    }
    Leaf<T> wildcard = node.wildcard;
    return wildcard == null ? null : capture(wildcard, path, pos, method);
  }

  /** At the end of the path: a route ending here, else a wildcard matching the empty rest. */
  private @Nullable RouteLookup<T> matchEnd(RadixNode<T> node, String path, int pos, int method) {
    Leaf<T> leaf = node.leaf;
    if (leaf != null) {
      RouteLookup<T> found = leaf.lookup(method);
      if (found != null) {
        return leaf.paramNames.length == 0 ? found : found.withFreshParams(leaf.paramNames, path);
      }
    }
    Leaf<T> wildcard = node.wildcard;
    return wildcard == null ? null : capture(wildcard, path, pos, method);
  }

  private @Nullable RouteLookup<T> capture(Leaf<T> wildcard, String path, int pos, int method) {
    RouteLookup<T> template = wildcard.lookup(method);
    if (template == null) {
      return null;
    }
    RouteLookup<T> found = template.withFreshParams(wildcard.paramNames, path);
    PathParams params = found.params();
    params.set(params.size() - 1, pos, path.length());
    return found;
  }

  /** The union of the Allow masks of every route the path matches, for any method (0: none). */
  private long allowedMethods(RadixNode<T> node, String path, int pos) {
    final int length = path.length();
    long mask = 0;
    if (pos == length) {
      if (node.leaf != null) {
        mask |= node.leaf.allowMask;
      }
      if (node.wildcard != null) {
        mask |= node.wildcard.allowMask;
      }
      return mask;
    }
    RadixNode<T> child = node.child(path.charAt(pos));
    if (child != null && child.prefixMatches(path, pos, 1)) {
      mask |= allowedMethods(child, path, pos + child.prefixLength);
    }
    if (node.param != null) {
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = length;
      }
      RadixNode<T> param = node.param;
      if (end > pos && param.prefixMatches(path, end, 0)) {
        mask |= allowedMethods(param, path, end + param.prefixLength);
      }
    }
    if (node.wildcard != null) {
      mask |= node.wildcard.allowMask;
    }
    return mask;
  }

  private RouteLookup<T> methodNotAllowed(long mask) {
    int i = Arrays.binarySearch(notAllowedMasks, mask);
    return i >= 0 ? notAllowed[i] : RouteLookup.methodNotAllowed(methods.allowHeader(mask));
  }

  /** Collects routes; {@link #build()} validates them all and never throws for a bad route. */
  public static final class Builder<T> {

    private final List<TreeCompiler.Route<T>> routes = new ArrayList<>();

    private Builder() {}

    /**
     * host "" = default host; methods empty = any method; index = the order of add() calls,
     * starting at 0. Hosts compare case-insensitively and without a ":port"; methods must be
     * upper-case tokens ("GET"), and a GET route also answers HEAD unless HEAD has its own route.
     */
    public Builder<T> add(String host, String pathPattern, Set<String> methods, T value) {
      routes.add(
          new TreeCompiler.Route<>(
              routes.size(),
              Objects.requireNonNull(host, "host"),
              Objects.requireNonNull(pathPattern, "pathPattern"),
              Set.copyOf(methods),
              Objects.requireNonNull(value, "value")));
      return this;
    }

    /** Builds a table of every route without conflicts, and lists the conflicts. */
    public BuildResult<T> build() {
      return new TreeCompiler<T>().compile(routes);
    }
  }
}
