package dev.sluice.agent.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RouteTable} from the routes given to its builder: validates each route, inserts
 * the valid ones into a trie per host (a route that conflicts is left out whole) and compiles the
 * tries into radix trees. Every problem becomes a {@link RouteConflict}; nothing is thrown.
 */
final class TreeCompiler<T> {

  /** One add() call as given. */
  record Route<T>(int index, String host, String pattern, Set<String> methods, T value) {}

  private final HttpMethods.Registry registry = new HttpMethods.Registry();
  private final Map<String, TrieNode<T>> tries = new LinkedHashMap<>();
  private final List<RouteConflict> conflicts = new ArrayList<>();
  private final TreeSet<Long> allowMasks = new TreeSet<>();
  private int accepted;

  BuildResult<T> compile(List<Route<T>> routes) {
    tries.put("", new TrieNode<>());
    for (Route<T> route : routes) {
      add(route);
    }
    HttpMethods frozen = registry.freeze();
    RouteTree<T> defaultTree = compileTree(tries.get(""), frozen);
    HostIndex<T> hosts = null;
    if (tries.size() > 1) {
      List<String> keys = new ArrayList<>();
      List<RouteTree<T>> trees = new ArrayList<>();
      for (Map.Entry<String, TrieNode<T>> e : tries.entrySet()) {
        if (!e.getKey().isEmpty()) {
          keys.add(e.getKey());
          trees.add(compileTree(e.getValue(), frozen));
        }
      }
      @SuppressWarnings("unchecked")
      RouteTree<T>[] treeArray = trees.toArray(new RouteTree[0]);
      hosts = new HostIndex<>(keys.toArray(new String[0]), treeArray);
    }
    long[] masks = new long[allowMasks.size()];
    @SuppressWarnings("unchecked")
    RouteLookup<T>[] notAllowed = new RouteLookup[masks.length];
    int i = 0;
    for (long mask : allowMasks) {
      masks[i] = mask;
      notAllowed[i] = RouteLookup.methodNotAllowed(frozen.allowHeader(mask));
      i++;
    }
    RouteTable<T> table =
        new RouteTable<>(defaultTree, hosts, frozen, masks, notAllowed, accepted);
    return new BuildResult<>(table, conflicts);
  }

  private void add(Route<T> route) {
    int before = conflicts.size();
    RoutePattern pattern = RoutePattern.parse(route.pattern());
    for (String error : pattern.errors()) {
      conflicts.add(new RouteConflict(route.index(), error));
    }
    int[] methodNumbers = new int[route.methods().size()];
    int n = 0;
    for (String method : new TreeSet<>(route.methods())) {
      if (!HttpMethods.isValidName(method)) {
        conflicts.add(new RouteConflict(route.index(),
            "method '" + method + "' is not an upper-case HTTP method token"));
        continue;
      }
      int number = registry.register(method);
      if (number < 0) {
        conflicts.add(new RouteConflict(route.index(),
            "method '" + method + "' exceeds the limit of " + HttpMethods.MAX + " distinct methods"));
        continue;
      }
      methodNumbers[n++] = number;
    }
    if (conflicts.size() > before) {
      return;
    }
    String hostKey = HostIndex.key(route.host());
    TrieNode<T> root = tries.get(hostKey);
    TrieNode.Entry<T> entry = new TrieNode.Entry<>(route.index(), route.value());
    if (root != null) {
      String conflict = insert(root, pattern, methodNumbers, entry, hostKey, true);
      if (conflict != null) {
        conflicts.add(new RouteConflict(route.index(), conflict));
        return;
      }
    } else {
      root = new TrieNode<>();
      tries.put(hostKey, root);
    }
    insert(root, pattern, methodNumbers, entry, hostKey, false);
    accepted++;
  }

  /**
   * Walks (and unless {@code dryRun} extends) the trie along the pattern. Returns the conflict, or
   * null. A dry run stops at the first missing node: below it nothing can conflict, so a route that
   * passes the dry run is then inserted without failing half-way.
   */
  private @Nullable String insert(
      TrieNode<T> root,
      RoutePattern pattern,
      int[] methodNumbers,
      TrieNode.Entry<T> entry,
      String hostKey,
      boolean dryRun) {
    TrieNode<T> node = root;
    for (RoutePattern.Part part : pattern.parts()) {
      String text = part.text();
      if (part.kind() == RoutePattern.Kind.STATIC) {
        for (int i = 0; i < text.length(); i++) {
          TrieNode<T> next = node.children.get(text.charAt(i));
          if (next == null) {
            if (dryRun) {
              return null;
            }
            next = new TrieNode<>();
            node.children.put(text.charAt(i), next);
          }
          node = next;
        }
      } else if (part.kind() == RoutePattern.Kind.PARAM) {
        if (node.param == null) {
          if (dryRun) {
            return null;
          }
          node.param = new TrieNode<>();
          node.paramName = text;
        } else if (!node.paramName.equals(text)) {
          return "parameter ':" + text + "' conflicts with ':" + node.paramName
              + "' at the same position";
        }
        node = node.param;
      } else {
        if (node.wildcard == null) {
          if (dryRun) {
            return null;
          }
          node.wildcard = new TrieNode<>();
          node.wildcardName = text;
        } else if (!node.wildcardName.equals(text)) {
          return "wildcard '*" + text + "' conflicts with '*" + node.wildcardName
              + "' at the same position";
        }
        node = node.wildcard;
      }
    }
    String onHost = hostKey.isEmpty() ? "" : " on host '" + hostKey + "'";
    if (methodNumbers.length == 0) {
      if (node.anyMethod != null) {
        return "a route for any method on '" + pattern.source() + "'" + onHost
            + " is already defined by route " + node.anyMethod.index();
      }
    } else {
      for (int number : methodNumbers) {
        TrieNode.Entry<T> existing = node.byMethod.get(number);
        if (existing != null) {
          return registry.name(number) + " '" + pattern.source() + "'"
              + onHost + " is already defined by route " + existing.index();
        }
      }
    }
    if (!dryRun) {
      node.paramNames = pattern.paramNames();
      if (methodNumbers.length == 0) {
        node.anyMethod = entry;
      }
      for (int number : methodNumbers) {
        node.byMethod.put(number, entry);
      }
    }
    return null;
  }

  private RouteTree<T> compileTree(TrieNode<T> trie, HttpMethods methods) {
    List<String> staticPaths = new ArrayList<>();
    List<Leaf<T>> staticLeaves = new ArrayList<>();
    RadixNode<T> root =
        compileRun("", new StringBuilder(), trie, 0, methods, staticPaths, staticLeaves);
    return new RouteTree<>(root, new StaticIndex<>(staticPaths, staticLeaves));
  }

  /**
   * Compiles the node that starts with {@code run}: follows pass-through trie nodes, appending their
   * characters, so that a chain of single children becomes one prefix. The root and parameter
   * nodes start with an empty run, so they absorb the static text that always follows them.
   */
  private RadixNode<T> compileRun(
      String pathBefore,
      StringBuilder run,
      TrieNode<T> start,
      int paramsBefore,
      HttpMethods methods,
      List<String> staticPaths,
      List<Leaf<T>> staticLeaves) {
    TrieNode<T> end = start;
    while (end.isPassThrough()) {
      Map.Entry<Character, TrieNode<T>> only = end.children.firstEntry();
      run.append(only.getKey().charValue());
      end = only.getValue();
    }
    String prefix = run.toString();
    return compileNode(
        pathBefore + prefix, prefix, end, paramsBefore, methods, staticPaths, staticLeaves);
  }

  /**
   * Compiles one trie node and everything below it. {@code path} is the full static path up to and
   * including {@code prefix} while no parameter has been passed; leaves reached that way are also
   * collected for the {@link StaticIndex}.
   */
  private RadixNode<T> compileNode(
      String path,
      String prefix,
      TrieNode<T> node,
      int paramsBefore,
      HttpMethods methods,
      List<String> staticPaths,
      List<Leaf<T>> staticLeaves) {
    int n = node.children.size();
    char[] keys = new char[n];
    @SuppressWarnings("unchecked")
    RadixNode<T>[] children = new RadixNode[n];
    int i = 0;
    for (Map.Entry<Character, TrieNode<T>> e : node.children.entrySet()) {
      keys[i] = e.getKey();
      StringBuilder run = new StringBuilder().append(e.getKey().charValue());
      children[i] =
          compileRun(path, run, e.getValue(), paramsBefore, methods, staticPaths, staticLeaves);
      i++;
    }
    RadixNode<T> param =
        node.param == null
            ? null
            : compileRun(
                "", new StringBuilder(), node.param, paramsBefore + 1, methods, staticPaths,
                staticLeaves);
    Leaf<T> wildcard = node.wildcard == null ? null : compileLeaf(node.wildcard, methods);
    Leaf<T> leaf = node.endsRoutes() ? compileLeaf(node, methods) : null;
    if (leaf != null && paramsBefore == 0) {
      staticPaths.add(path);
      staticLeaves.add(leaf);
    }
    return new RadixNode<>(prefix, keys, children, param, paramsBefore, wildcard, leaf);
  }

  private Leaf<T> compileLeaf(TrieNode<T> node, HttpMethods methods) {
    @SuppressWarnings("unchecked")
    RouteLookup<T>[] byMethod = new RouteLookup[methods.count()];
    for (Map.Entry<Integer, TrieNode.Entry<T>> e : node.byMethod.entrySet()) {
      byMethod[e.getKey()] = RouteLookup.found(e.getValue().value(), PathParams.empty());
    }
    if (byMethod[HttpMethods.HEAD] == null) {
      byMethod[HttpMethods.HEAD] = byMethod[HttpMethods.GET];
    }
    RouteLookup<T> any =
        node.anyMethod == null ? null : RouteLookup.found(node.anyMethod.value(), PathParams.empty());
    Leaf<T> leaf = new Leaf<>(node.paramNames, byMethod, any);
    allowMasks.add(leaf.allowMask);
    return leaf;
  }
}
