package dev.sluice.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.routing.RouteLookup.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Compares the radix tree with a brute-force reference of the documented rules on random, heavily
 * overlapping route sets: every route is tried, and the winner is the one whose segment kinds
 * (static < param < wildcard) are lexicographically smallest, preferring a route that names the
 * method over GET-serving-HEAD over any-method.
 */
class RouteTableReferenceTest {

  private static final String[] SEGMENTS = {"a", "b", "ab", "ba", ":p", ":p", "*w"};
  private static final String[] PATH_SEGMENTS = {"a", "b", "ab", "ba", "c", "", "a:b"};
  private static final List<Set<String>> METHOD_SETS =
      List.of(Set.of("GET"), Set.of("POST"), Set.of("GET", "PUT"), Set.of("HEAD"), Set.of());
  private static final String[] REQUEST_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE"};

  record Route(int index, String pattern, String[] segments, Set<String> methods) {}

  @Test
  void agreesWithTheBruteForceReferenceOnRandomRouteSets() {
    for (long seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      List<Route> routes = new ArrayList<>();
      RouteTable.Builder<Integer> builder = RouteTable.builder();
      int count = 1 + random.nextInt(25);
      for (int i = 0; i < count; i++) {
        int depth = 1 + random.nextInt(4);
        String[] segments = new String[depth];
        StringBuilder pattern = new StringBuilder();
        for (int d = 0; d < depth; d++) {
          String s = SEGMENTS[random.nextInt(SEGMENTS.length)];
          if (s.startsWith("*") && d < depth - 1) {
            s = "a";
          }
          segments[d] = s.startsWith(":") || s.startsWith("*") ? s + d : s;
          pattern.append('/').append(segments[d]);
        }
        if (random.nextInt(5) == 0 && !segments[depth - 1].startsWith("*")) {
          segments = Arrays.copyOf(segments, depth + 1);
          segments[depth] = "";
          pattern.append('/');
        }
        Set<String> methods = METHOD_SETS.get(random.nextInt(METHOD_SETS.size()));
        routes.add(new Route(i, pattern.toString(), segments, methods));
        builder.add("", pattern.toString(), methods, i);
      }
      BuildResult<Integer> result = builder.build();
      Set<Integer> rejected = new HashSet<>();
      result.conflicts().forEach(c -> rejected.add(c.index()));
      List<Route> accepted = new ArrayList<>();
      for (Route route : routes) {
        if (!rejected.contains(route.index())) {
          accepted.add(route);
        }
      }
      assertThat(result.table().size()).isEqualTo(accepted.size());

      for (int p = 0; p < 200; p++) {
        StringBuilder path = new StringBuilder();
        int depth = 1 + random.nextInt(5);
        for (int d = 0; d < depth; d++) {
          path.append('/').append(PATH_SEGMENTS[random.nextInt(PATH_SEGMENTS.length)]);
        }
        String normalized = PathNormalizer.normalize(path.toString());
        String method = REQUEST_METHODS[random.nextInt(REQUEST_METHODS.length)];
        RouteLookup<Integer> actual = result.table().find("", method, normalized);
        String expected = reference(accepted, method, normalized);
        String context = "seed " + seed + ": " + method + " " + normalized + " routes " + describe(accepted);
        assertThat(describe(actual)).as(context).isEqualTo(expected);
      }
    }
  }

  private static String describe(RouteLookup<Integer> lookup) {
    return switch (lookup.outcome()) {
      case FOUND -> "FOUND " + lookup.value() + " " + lookup.params();
      case NOT_FOUND -> "NOT_FOUND";
      case METHOD_NOT_ALLOWED -> "405 " + lookup.allowHeader();
    };
  }

  private static String describe(List<Route> routes) {
    StringBuilder sb = new StringBuilder();
    for (Route r : routes) {
      sb.append(r.index()).append(':').append(r.methods()).append(r.pattern()).append(' ');
    }
    return sb.toString();
  }

  private static String reference(List<Route> routes, String method, String path) {
    String[] pathSegments = path.substring(1).split("/", -1);
    Route best = null;
    int[] bestKinds = null;
    int bestMethodRank = Integer.MAX_VALUE;
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      int[] kinds = matchKinds(route.segments(), pathSegments);
      if (kinds == null) {
        continue;
      }
      Set<String> routeMethods = new TreeSet<>(route.methods());
      if (routeMethods.contains("GET")) {
        routeMethods.add("HEAD");
      }
      allowed.addAll(routeMethods.isEmpty() ? Set.of("ANY") : routeMethods);
      int methodRank =
          route.methods().contains(method)
              ? 0
              : method.equals("HEAD") && route.methods().contains("GET")
                  ? 1
                  : route.methods().isEmpty() ? 2 : -1;
      if (methodRank < 0) {
        continue;
      }
      int order = best == null ? -1 : Arrays.compare(kinds, bestKinds);
      if (order < 0 || (order == 0 && methodRank < bestMethodRank)) {
        best = route;
        bestKinds = kinds;
        bestMethodRank = methodRank;
      }
    }
    if (best != null) {
      return "FOUND " + best.index() + " " + params(best.segments(), pathSegments);
    }
    return allowed.isEmpty() ? "NOT_FOUND" : "405 " + String.join(", ", allowed);
  }

  /** Kind per pattern segment (0 static, 1 param, 2 wildcard) if the pattern matches, else null. */
  private static int @Nullable [] matchKinds(String[] pattern, String[] path) {
    int[] kinds = new int[pattern.length];
    for (int i = 0; i < pattern.length; i++) {
      String s = pattern[i];
      if (s.startsWith("*")) {
        if (i >= path.length) {
          return null;
        }
        kinds[i] = 2;
        return kinds;
      }
      if (i >= path.length) {
        return null;
      }
      if (s.startsWith(":")) {
        if (path[i].isEmpty()) {
          return null;
        }
        kinds[i] = 1;
      } else if (!s.equals(path[i])) {
        return null;
      }
    }
    return pattern.length == path.length ? kinds : null;
  }

  private static String params(String[] pattern, String[] path) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].startsWith(":")) {
        values.add(pattern[i].substring(1) + "=" + path[i]);
      } else if (pattern[i].startsWith("*")) {
        values.add(
            pattern[i].substring(1) + "=" + String.join("/", Arrays.copyOfRange(path, i, path.length)));
      }
    }
    return "{" + String.join(", ", values) + "}";
  }
}
