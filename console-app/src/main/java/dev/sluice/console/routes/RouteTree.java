package dev.sluice.console.routes;

import dev.sluice.admin.v1.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the route tree from a snapshot's routes: one node per path segment ({@code /api} →
 * {@code /v1} → {@code /users} → {@code /:id}). A path with one route carries it on its node; a path
 * with several (e.g. GET and POST) gets one child per route, labelled by its methods. Siblings come
 * in router priority: static, then {@code :param}, then {@code *wildcard}.
 */
public final class RouteTree {
  private RouteTree() {}

  /** Natural order of siblings: router priority, then name. */
  public static final Comparator<RouteRow> NATURAL =
      Comparator.comparingInt((RouteRow r) -> rank(r.segment())).thenComparing(RouteRow::segment);

  /**
   * Builds a fresh tree, reusing rows from {@code previous} (keyed by {@link #key}) so selection and
   * history survive a config change that keeps the route.
   */
  public static RouteRow build(List<Route> routes, Map<String, RouteRow> previous) {
    RouteRow root = reuse(previous, "", "/");
    root.setRoute(null);
    root.children.clear();
    Map<String, List<Route>> byPath = new LinkedHashMap<>();
    for (Route route : routes) {
      byPath.computeIfAbsent(normalise(route.getMatch().getPath()), p -> new ArrayList<>()).add(route);
    }
    for (Map.Entry<String, List<Route>> entry : byPath.entrySet()) {
      RouteRow node = root;
      StringBuilder path = new StringBuilder();
      for (String segment : segments(entry.getKey())) {
        path.append('/').append(segment);
        node = child(node, "/" + segment, path.toString(), previous);
      }
      List<Route> here = entry.getValue();
      if (here.size() == 1 && node != root) {
        node.setRoute(here.get(0));
      } else {
        for (Route route : here) {
          String label = route.getMatch().getMethodsCount() == 0 ? "ANY"
              : String.join(",", route.getMatch().getMethodsList());
          RouteRow leaf = child(node, label, node.path(), previous);
          leaf.setRoute(route);
        }
      }
    }
    sort(root, NATURAL);
    return root;
  }

  /** Sorts every sibling group by {@code order} (a stable sort: ties keep their order). */
  public static void sort(RouteRow node, Comparator<RouteRow> order) {
    node.children.sort(order);
    for (RouteRow child : node.children) {
      sort(child, order);
    }
  }

  /** Every node under {@code root}, depth first. */
  public static List<RouteRow> flatten(RouteRow root) {
    List<RouteRow> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  static String key(RouteRow row) {
    return row.path() + "#" + row.segment();
  }

  private static void collect(RouteRow node, List<RouteRow> out) {
    for (RouteRow child : node.children) {
      out.add(child);
      collect(child, out);
    }
  }

  private static RouteRow child(
      RouteRow parent, String segment, String path, Map<String, RouteRow> previous) {
    for (RouteRow c : parent.children) {
      if (c.segment().equals(segment)) {
        return c;
      }
    }
    RouteRow row = reuse(previous, segment, path);
    row.setRoute(null);
    row.children.clear();
    parent.children.add(row);
    return row;
  }

  private static RouteRow reuse(Map<String, RouteRow> previous, String segment, String path) {
    RouteRow old = previous.get(path + "#" + segment);
    return old != null ? old : new RouteRow(segment, path);
  }

  private static String normalise(String path) {
    String p = path.isEmpty() ? "/" : path;
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static int rank(String segment) {
    if (segment.startsWith("/:")) {
      return 1;
    }
    if (segment.startsWith("/*")) {
      return 2;
    }
    return segment.startsWith("/") ? 0 : 3;
  }
}
