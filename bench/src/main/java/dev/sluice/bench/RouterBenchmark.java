package dev.sluice.bench;

import dev.sluice.agent.routing.BuildResult;
import dev.sluice.agent.routing.PathNormalizer;
import dev.sluice.agent.routing.RouteLookup;
import dev.sluice.agent.routing.RouteTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one {@link RouteTable#find} as the route count grows (100 / 1,000 / 10,000 generated
 * static or parameterized routes) and on the GitHub API route set. Each operation looks up the next
 * path of a shuffled list that covers every route, so large tables pay their real cache misses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {

  private static final String[] WORDS = {
    "api", "v1", "v2", "users", "orders", "items", "carts", "payments", "invoices", "accounts",
    "search", "admin", "reports", "metrics", "files", "images", "teams", "projects", "tasks",
    "comments", "tags", "settings", "billing", "plans", "events", "hooks", "tokens", "sessions",
    "catalog", "products", "prices", "stock", "shipping", "returns", "reviews", "media", "export",
    "import", "audit", "health"
  };

  /** Deterministically generated routes: {@code kind} "static" or "param" (each route has 1–3 params). */
  @State(Scope.Thread)
  public static class Generated {
    @Param({"100", "1000", "10000"})
    int routes;

    @Param({"static", "param"})
    String kind;

    RouteTable<Integer> table;
    String[] paths;
    int cursor;

    @Setup(Level.Trial)
    public void setUp() {
      Map<String, String> patternToPath = generate(routes, kind.equals("param"), 42);
      RouteTable.Builder<Integer> builder = RouteTable.builder();
      int value = 0;
      for (String pattern : patternToPath.keySet()) {
        builder.add("", pattern, Set.of("GET"), value++);
      }
      table = checked(builder.build(), routes);
      paths = shuffledRequestPaths(new ArrayList<>(patternToPath.values()), table);
    }

    RouteLookup<Integer> next() {
      String path = paths[cursor];
      cursor = cursor + 1 == paths.length ? 0 : cursor + 1;
      return table.find("", "GET", path);
    }

    RouteLookup<Integer> nextHot() {
      cursor = (cursor + 1) & (HOT_PATHS - 1);
      return table.find("", "GET", paths[cursor]);
    }
  }

  /** The 203 routes of the GitHub v3 API as used by go-http-routing-benchmark. */
  @State(Scope.Thread)
  public static class Github {
    RouteTable<Integer> table;
    String[] methods;
    String[] paths;
    int cursor;
    // Fields, not literals, so the JIT cannot fold the lookup of a constant path.
    String staticPath = "/user/repos";
    String paramPath = "/repos/julienschmidt/httprouter/stargazers";

    @Setup(Level.Trial)
    public void setUp() {
      List<String[]> routes = githubRoutes();
      RouteTable.Builder<Integer> builder = RouteTable.builder();
      for (int i = 0; i < routes.size(); i++) {
        builder.add("", routes.get(i)[1], Set.of(routes.get(i)[0]), i);
      }
      table = checked(builder.build(), routes.size());
      Collections.shuffle(routes, new Random(7));
      methods = new String[routes.size()];
      paths = new String[routes.size()];
      for (int i = 0; i < routes.size(); i++) {
        methods[i] = routes.get(i)[0];
        paths[i] = routes.get(i)[1].replaceAll(":[A-Za-z_]+", "sluice");
        if (table.find("api.github.com", methods[i], paths[i]).outcome()
            != RouteLookup.Outcome.FOUND) {
          throw new IllegalStateException("not found: " + methods[i] + " " + paths[i]);
        }
      }
    }
  }

  /** Paths in rotation for {@link #lookupHot}: few enough that the touched nodes stay in cache. */
  static final int HOT_PATHS = 16;

  /** Every route in turn: at 10,000 routes most of the tree is out of the CPU caches. */
  @Benchmark
  public RouteLookup<Integer> lookup(Generated state) {
    return state.next();
  }

  /** The same 16 routes over and over: the algorithm's cost without cache misses. */
  @Benchmark
  public RouteLookup<Integer> lookupHot(Generated state) {
    return state.nextHot();
  }

  /** Every GitHub route in turn (Gin's "GithubAll" divided by 203). */
  @Benchmark
  public RouteLookup<Integer> githubAll(Github state) {
    int i = state.cursor;
    state.cursor = i + 1 == state.paths.length ? 0 : i + 1;
    return state.table.find("api.github.com", state.methods[i], state.paths[i]);
  }

  @Benchmark
  public RouteLookup<Integer> githubStatic(Github state) {
    return state.table.find("api.github.com", "GET", state.staticPath);
  }

  @Benchmark
  public RouteLookup<Integer> githubParam(Github state) {
    return state.table.find("api.github.com", "GET", state.paramPath);
  }

  /** What the proxy does per request: normalize the raw path, then look it up. */
  @Benchmark
  public RouteLookup<Integer> githubAllNormalized(Github state) {
    int i = state.cursor;
    state.cursor = i + 1 == state.paths.length ? 0 : i + 1;
    String path = Objects.requireNonNull(PathNormalizer.normalize(state.paths[i]));
    return state.table.find("api.github.com", state.methods[i], path);
  }

  /**
   * Pattern → one request path for it. Paths look like REST APIs (2–5 segments from a small
   * vocabulary, shared prefixes) with a number on the last segment for uniqueness; parameters are
   * named by position so that the set has no conflicts.
   */
  static Map<String, String> generate(int count, boolean params, long seed) {
    Random random = new Random(seed);
    Map<String, String> routes = new LinkedHashMap<>();
    while (routes.size() < count) {
      int depth = 2 + random.nextInt(4);
      int forcedParam = params ? 1 + random.nextInt(depth - 1) : -1;
      StringBuilder pattern = new StringBuilder();
      StringBuilder path = new StringBuilder();
      for (int d = 0; d < depth; d++) {
        boolean param = params && d > 0 && (d == forcedParam || random.nextInt(5) == 0);
        if (param) {
          pattern.append("/:p").append(d);
          path.append('/').append(100_000 + random.nextInt(900_000));
        } else {
          String word = WORDS[random.nextInt(WORDS.length)];
          if (d == depth - 1) {
            word = word + random.nextInt(Math.max(10, count / 10));
          }
          pattern.append('/').append(word);
          path.append('/').append(word);
        }
      }
      routes.putIfAbsent(pattern.toString(), path.toString());
    }
    return routes;
  }

  static RouteTable<Integer> checked(BuildResult<Integer> result, int expectedSize) {
    if (!result.ok() || result.table().size() != expectedSize) {
      throw new IllegalStateException("route set does not build: " + result.conflicts());
    }
    return result.table();
  }

  static String[] shuffledRequestPaths(List<String> paths, RouteTable<Integer> table) {
    Collections.shuffle(paths, new Random(7));
    for (String path : paths) {
      if (table.find("", "GET", path).outcome() != RouteLookup.Outcome.FOUND) {
        throw new IllegalStateException("generated path not found: " + path);
      }
    }
    return paths.toArray(new String[0]);
  }

  static List<String[]> githubRoutes() {
    List<String[]> routes = new ArrayList<>();
    try (InputStream in = RouterBenchmark.class.getResourceAsStream("/github-api-routes.txt")) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(Objects.requireNonNull(in), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          routes.add(line.trim().split(" ", 2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return routes;
  }
}
