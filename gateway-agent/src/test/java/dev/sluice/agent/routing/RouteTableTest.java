package dev.sluice.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.routing.RouteLookup.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableTest {

  private static final Set<String> ANY = Set.of();
  private static final Set<String> GET = Set.of("GET");

  private static RouteTable<String> table(String... patterns) {
    RouteTable.Builder<String> builder = RouteTable.builder();
    for (String pattern : patterns) {
      builder.add("", pattern, GET, pattern);
    }
    BuildResult<String> result = builder.build();
    assertThat(result.conflicts()).isEmpty();
    return result.table();
  }

  private static RouteLookup<String> get(RouteTable<String> table, String path) {
    return table.find("", "GET", path);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "/               | /",
        "/users          | /users",
        "/users/         | /users/",
        "/users/list     | /users/list",
        "/user           | /user",
        "/us             | -",
        "/users/lis      | -",
        "/users/listing  | -",
        "/Users          | -",
        "/orgs           | -",
      })
  void matchesStaticPathsExactly(String path, String expectedRoute) {
    RouteTable<String> table = table("/", "/users", "/users/", "/users/list", "/user");
    RouteLookup<String> lookup = get(table, path);
    assertThat(lookup.value()).isEqualTo(expectedRoute);
    assertThat(lookup.outcome()).isEqualTo(expectedRoute == null ? Outcome.NOT_FOUND : Outcome.FOUND);
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "/users/42                  | /users/:id                | {id=42}",
        "/users/42/repos/sluice     | /users/:id/repos/:repo    | {id=42, repo=sluice}",
        "/users/a:b*c               | /users/:id                | {id=a:b*c}",
        "/static/                   | /static/*path             | {path=}",
        "/static/a                  | /static/*path             | {path=a}",
        "/static/css/site.css       | /static/*path             | {path=css/site.css}",
        "/static/a//b/              | /static/*path             | {path=a//b/}",
        "/files/7/raw/x/y           | /files/:id/raw/*rest      | {id=7, rest=x/y}",
        "/static                    | -                         | {}",
        "/users/                    | -                         | {}",
        "/users/42/                 | -                         | {}",
      })
  void capturesParametersAndWildcards(String path, String expectedRoute, String expectedParams) {
    RouteTable<String> table =
        table("/users/:id", "/users/:id/repos/:repo", "/static/*path", "/files/:id/raw/*rest");
    RouteLookup<String> lookup = get(table, path);
    assertThat(lookup.value()).isEqualTo(expectedRoute);
    assertThat(lookup.params()).hasToString(expectedParams);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "/café/1/ü                    | /café/:id/ü",
        "/cafe/1/ü                    | -",
        "/日本/東京/駅                | /日本/:city/駅",
        "/日本/東京/站                | -",
        "/a/1                         | /a/:id",
        "/z/ünïcödé/long-tail/9       | /z/ünïcödé/long-tail/:n",
        "/z/ünïcödé/long-tai/9        | /z/:other/long-tai/:n",
      })
  void matchesNonAsciiAndWidelySpreadCharactersInTheTree(String path, String expectedRoute) {
    RouteTable<String> table =
        table(
            "/café/:id/ü",
            "/日本/:city/駅",
            "/a/:id",
            "/z/ünïcödé/long-tail/:n",
            "/z/:other/long-tai/:n");
    assertThat(get(table, path).value()).isEqualTo(expectedRoute);
  }

  @Test
  void exposesParametersByNameAndPosition() {
    PathParams params = get(table("/repos/:owner/:repo/*rest"), "/repos/me/sluice/a/b").params();
    assertThat(params.size()).isEqualTo(3);
    assertThat(params.get("owner")).isEqualTo("me");
    assertThat(params.get("repo")).isEqualTo("sluice");
    assertThat(params.get("rest")).isEqualTo("a/b");
    assertThat(params.get("missing")).isNull();
    assertThat(params.name(1)).isEqualTo("repo");
    assertThat(params.value(2)).isEqualTo("a/b");
  }

  @Test
  void eachParameterLookupKeepsItsOwnValues() {
    RouteTable<String> table = table("/users/:id/*rest");
    RouteLookup<String> first = get(table, "/users/1/a");
    RouteLookup<String> second = get(table, "/users/2/b/c");
    assertThat(first.params()).hasToString("{id=1, rest=a}");
    assertThat(second.params()).hasToString("{id=2, rest=b/c}");
    assertThat(first.params()).isNotEqualTo(second.params());
  }

  static Stream<Arguments> insertionOrders() {
    List<String> routes = List.of("/users/new", "/users/:id", "/users/*rest", "/users/new/*tail");
    List<Arguments> orders = new ArrayList<>();
    permute(new ArrayList<>(routes), 0, orders);
    return orders.stream();
  }

  private static void permute(List<String> items, int k, List<Arguments> out) {
    if (k == items.size()) {
      out.add(Arguments.of(List.copyOf(items)));
      return;
    }
    for (int i = k; i < items.size(); i++) {
      Collections.swap(items, k, i);
      permute(items, k + 1, out);
      Collections.swap(items, k, i);
    }
  }

  @ParameterizedTest
  @MethodSource("insertionOrders")
  void prefersStaticThenParameterThenWildcardInAnyInsertionOrder(List<String> order) {
    RouteTable<String> table = table(order.toArray(new String[0]));
    assertThat(get(table, "/users/new").value()).isEqualTo("/users/new");
    assertThat(get(table, "/users/newer").value()).isEqualTo("/users/:id");
    assertThat(get(table, "/users/42").value()).isEqualTo("/users/:id");
    assertThat(get(table, "/users/42/x").value()).isEqualTo("/users/*rest");
    assertThat(get(table, "/users/").value()).isEqualTo("/users/*rest");
    assertThat(get(table, "/users/new/x").value()).isEqualTo("/users/new/*tail");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/users/new/profile   | /users/:id/profile",
        "/users/new           | /users/new",
        "/a/b/d               | /a/:x/d",
        "/a/b/c               | /a/b/c",
        "/a/b/e               | /a/*rest",
        "/a/b/c/d             | /a/*rest",
        "/v1/items/7/x        | /v1/:kind/7/x",
      })
  void backtracksWhenAPreferredBranchDeadEnds(String path, String expectedRoute) {
    RouteTable<String> table =
        table(
            "/users/new",
            "/users/:id/profile",
            "/a/b/c",
            "/a/:x/d",
            "/a/*rest",
            "/v1/items/:id",
            "/v1/:kind/7/x");
    assertThat(get(table, path).value()).isEqualTo(expectedRoute);
  }

  @Test
  void backtracksToARouteThatAcceptsTheMethod() {
    BuildResult<String> result =
        RouteTable.<String>builder()
            .add("", "/files/index", GET, "static")
            .add("", "/files/*path", Set.of("POST"), "upload")
            .build();
    RouteTable<String> table = result.table();
    assertThat(table.find("", "GET", "/files/index").value()).isEqualTo("static");
    RouteLookup<String> post = table.find("", "POST", "/files/index");
    assertThat(post.value()).isEqualTo("upload");
    assertThat(post.params().get("path")).isEqualTo("index");
  }

  @Test
  void answersMethodNotAllowedWithTheMethodsOfEveryMatchingRoute() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/items", Set.of("POST", "GET"), "items")
            .add("", "/items/:id", Set.of("GET"), "item")
            .add("", "/items/special", Set.of("PUT"), "special")
            .add("", "/items/*rest", Set.of("PATCH"), "rest")
            .build()
            .table();

    RouteLookup<String> deleteItems = table.find("", "DELETE", "/items");
    assertThat(deleteItems.outcome()).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
    assertThat(deleteItems.allowHeader()).isEqualTo("GET, HEAD, POST");
    assertThat(deleteItems.value()).isNull();
    assertThat(deleteItems.params().size()).isZero();

    RouteLookup<String> deleteSpecial = table.find("", "DELETE", "/items/special");
    assertThat(deleteSpecial.outcome()).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
    assertThat(deleteSpecial.allowHeader()).isEqualTo("GET, HEAD, PATCH, PUT");

    RouteLookup<String> unknownMethod = table.find("", "PROPFIND", "/items");
    assertThat(unknownMethod.allowHeader()).isEqualTo("GET, HEAD, POST");

    RouteLookup<String> missing = table.find("", "GET", "/nothing");
    assertThat(missing.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(missing.allowHeader()).isEmpty();
  }

  @Test
  void servesHeadWithTheGetRouteUnlessHeadHasItsOwn() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/page", GET, "page")
            .add("", "/doc", GET, "doc")
            .add("", "/doc", Set.of("HEAD"), "doc-head")
            .add("", "/upload", Set.of("POST"), "upload")
            .build()
            .table();
    assertThat(table.find("", "HEAD", "/page").value()).isEqualTo("page");
    assertThat(table.find("", "HEAD", "/doc").value()).isEqualTo("doc-head");
    assertThat(table.find("", "GET", "/doc").value()).isEqualTo("doc");
    assertThat(table.find("", "HEAD", "/upload").outcome()).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
  }

  @Test
  void anyMethodRouteIsTheFallbackForMethodsWithoutTheirOwnRoute() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/dav/*path", ANY, "dav")
            .add("", "/dav/*path", Set.of("GET"), "read")
            .add("", "/any", ANY, "any")
            .build()
            .table();
    assertThat(table.find("", "PROPFIND", "/dav/x").value()).isEqualTo("dav");
    assertThat(table.find("", "DELETE", "/dav/x").value()).isEqualTo("dav");
    assertThat(table.find("", "GET", "/dav/x").value()).isEqualTo("read");
    assertThat(table.find("", "HEAD", "/dav/x").value()).isEqualTo("read");
    assertThat(table.find("", "BREW", "/any").value()).isEqualTo("any");
  }

  @Test
  void supportsExtensionMethods() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/cal", Set.of("REPORT", "MKCALENDAR"), "cal")
            .build()
            .table();
    assertThat(table.find("", "REPORT", "/cal").value()).isEqualTo("cal");
    assertThat(table.find("", "GET", "/cal").allowHeader()).isEqualTo("MKCALENDAR, REPORT");
  }

  @ParameterizedTest(name = "host {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "api.example.com          | api",
        "API.Example.COM          | api",
        "api.example.com:8443     | api",
        "Api.Example.Com:80       | api",
        "api.example.com.         | api",
        "[::1]:8080               | loopback6",
        "[::1]                    | loopback6",
        "www.example.com          | default",
        "example.com              | default",
        "''                       | default",
        "-                        | default",
      })
  void picksTheTreeByHostAndFallsBackToTheDefaultHost(String host, String expected) {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/", GET, "default")
            .add("API.example.com", "/", GET, "api")
            .add("[::1]", "/", GET, "loopback6")
            .build()
            .table();
    assertThat(table.find(host, "GET", "/").value()).isEqualTo(expected);
  }

  @Test
  void manyHostsEachFindTheirOwnRoutes() {
    RouteTable.Builder<String> builder = RouteTable.<String>builder().add("", "/", GET, "default");
    for (int i = 0; i < 300; i++) {
      builder.add("h" + i + ".example.com", "/", GET, "h" + i);
    }
    RouteTable<String> table = builder.build().table();
    for (int i = 0; i < 300; i++) {
      assertThat(table.find("H" + i + ".Example.com:8080", "GET", "/").value()).isEqualTo("h" + i);
    }
    assertThat(table.find("h300.example.com", "GET", "/").value()).isEqualTo("default");
  }

  @Test
  void refusesMethodsBeyondTheSixtyFourthDistinctOne() {
    RouteTable.Builder<String> builder = RouteTable.builder();
    for (int i = 0; i < 56; i++) {
      builder.add("", "/m" + i, Set.of("X" + i), "m" + i);
    }
    BuildResult<String> result = builder.build();
    assertThat(result.conflicts())
        .containsExactly(
            new RouteConflict(55, "method 'X55' exceeds the limit of 64 distinct methods"));
    assertThat(result.table().find("", "X54", "/m54").value()).isEqualTo("m54");
    assertThat(result.table().size()).isEqualTo(55);
  }

  @Test
  void aKnownHostDoesNotFallBackToDefaultRoutes() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/health", GET, "default-health")
            .add("api.example.com", "/v1", GET, "api")
            .build()
            .table();
    assertThat(table.find("api.example.com", "GET", "/health").outcome())
        .isEqualTo(Outcome.NOT_FOUND);
    assertThat(table.find("other.example.com", "GET", "/health").value())
        .isEqualTo("default-health");
  }

  @Test
  void sameMethodOnTheSamePathOnDifferentHostsIsNoConflict() {
    BuildResult<String> result =
        RouteTable.<String>builder()
            .add("a.example", "/x", GET, "a")
            .add("b.example", "/x", GET, "b")
            .build();
    assertThat(result.ok()).isTrue();
    assertThat(result.table().find("b.example", "GET", "/x").value()).isEqualTo("b");
  }

  static Stream<Arguments> conflicts() {
    return Stream.of(
        Arguments.of(
            "/users/:userId", GET, "/users/:id", GET,
            "parameter ':id' conflicts with ':userId' at the same position"),
        Arguments.of(
            "/users/:userId/repos", GET, "/users/:id", Set.of("POST"),
            "parameter ':id' conflicts with ':userId' at the same position"),
        Arguments.of(
            "/files/*path", GET, "/files/*rest", Set.of("PUT"),
            "wildcard '*rest' conflicts with '*path' at the same position"),
        Arguments.of(
            "/users/:id", Set.of("GET", "POST"), "/users/:id", Set.of("POST"),
            "POST '/users/:id' is already defined by route 1"),
        Arguments.of(
            "/users", ANY, "/users", ANY,
            "a route for any method on '/users' is already defined by route 1"),
        Arguments.of(
            "/ok", GET, "/static/*path/more", GET,
            "wildcard '*path' must be the last segment of '/static/*path/more'"),
        Arguments.of("/ok", GET, "/users/:", GET, "parameter name must not be empty in '/users/:'"),
        Arguments.of("/ok", GET, "/files/*", GET, "wildcard name must not be empty in '/files/*'"),
        Arguments.of(
            "/ok", GET, "/a/:id/b/:id", GET,
            "parameter name 'id' appears twice in '/a/:id/b/:id'"),
        Arguments.of("/ok", GET, "users", GET, "path 'users' must start with '/'"),
        Arguments.of("/ok", GET, "", GET, "path '' must start with '/'"),
        Arguments.of(
            "/ok", GET, "/a//b", GET,
            "path '/a//b' can never match: requests are normalized to '/a/b'"),
        Arguments.of(
            "/ok", GET, "/:id.json", GET,
            "parameter ':id.json' may contain only letters, digits, '_' and '-'"),
        Arguments.of(
            "/ok", Set.of("get"), "/ok2", Set.of("get"),
            "method 'get' is not an upper-case HTTP method token"));
  }

  @ParameterizedTest(name = "{4}")
  @MethodSource("conflicts")
  void reportsConflictsWithTheIndexOfTheOffendingRoute(
      String firstPattern,
      Set<String> firstMethods,
      String secondPattern,
      Set<String> secondMethods,
      String message) {
    BuildResult<String> result =
        RouteTable.<String>builder()
            .add("", "/unrelated", GET, "r0")
            .add("", firstPattern, firstMethods, "r1")
            .add("", "/also-unrelated", GET, "r2")
            .add("", secondPattern, secondMethods, "r3")
            .build();
    assertThat(result.ok()).isFalse();
    int expectedIndex = firstMethods.contains("get") ? 1 : 3;
    assertThat(result.conflicts()).contains(new RouteConflict(expectedIndex, message));
    assertThat(result.table().find("", "GET", "/unrelated").value()).isEqualTo("r0");
  }

  @Test
  void aRejectedRouteChangesNothingAndEveryConflictIsReported() {
    BuildResult<String> result =
        RouteTable.<String>builder()
            .add("", "/users/:id", GET, "user")
            .add("", "/users/:uid/keys", GET, "keys")
            .add("", "nope", GET, "nope")
            .add("", "/users/:id", GET, "again")
            .build();
    assertThat(result.conflicts()).extracting(RouteConflict::index).containsExactly(1, 2, 3);
    RouteTable<String> table = result.table();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.find("", "GET", "/users/7").value()).isEqualTo("user");
    assertThat(table.find("", "GET", "/users/7/keys").outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void everyRandomStaticRouteIsFoundWithItsOwnValue() {
    String[] words = {"a", "b", "ab", "api", "v1", "v2", "users", "user", "u", "items", "x-y", "_"};
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      Set<String> paths = new HashSet<>();
      int count = 1 + random.nextInt(300);
      while (paths.size() < count) {
        StringBuilder path = new StringBuilder();
        int segments = random.nextInt(5);
        for (int s = 0; s < segments; s++) {
          path.append('/').append(words[random.nextInt(words.length)]);
          if (random.nextInt(4) == 0) {
            path.append(random.nextInt(100));
          }
        }
        path.append(random.nextInt(6) == 0 || path.length() == 0 ? "/" : "");
        paths.add(path.toString());
      }
      RouteTable.Builder<String> builder = RouteTable.builder();
      for (String path : paths) {
        builder.add("", path, GET, path);
      }
      BuildResult<String> result = builder.build();
      assertThat(result.conflicts()).as("seed %d", seed).isEmpty();
      assertThat(result.table().size()).isEqualTo(paths.size());
      for (String path : paths) {
        assertThat(get(result.table(), path).value()).as("seed %d path %s", seed, path).isEqualTo(path);
        if (!paths.contains(path + "z")) {
          assertThat(get(result.table(), path + "z").outcome()).isEqualTo(Outcome.NOT_FOUND);
        }
      }
    }
  }

  @Test
  void staticLookupsReturnAPreallocatedResult() {
    RouteTable<String> table = table("/users/list", "/users/:id");
    assertThat(get(table, "/users/list")).isSameAs(get(table, "/users/list"));
    assertThat(get(table, "/users/list").params()).isSameAs(PathParams.empty());
  }

  @Test
  void staticLookupsAllocateNothing() {
    RouteTable<String> table = table("/users/list", "/users/:id", "/repos/*path", "/");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 1_000; i++) {
      get(table, "/users/list");
    }
    long before = threads.getThreadAllocatedBytes(thread);
    int found = 0;
    for (int i = 0; i < 100_000; i++) {
      found += get(table, "/users/list").value() == null ? 0 : 1;
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(found).isEqualTo(100_000);
    // A single allocation per lookup would be at least 1.6 MB; allow the probe's own few bytes.
    assertThat(allocated).isLessThan(100_000);
  }

  @Test
  void emptyTableFindsNothing() {
    RouteTable<Object> table = RouteTable.empty();
    assertThat(table.size()).isZero();
    assertThat(table.find("any", "GET", "/").outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void craftedPathsCannotReachARouteTheirPlainSpellingWouldNot() {
    RouteTable<String> table =
        RouteTable.<String>builder()
            .add("", "/public/*path", GET, "public")
            .add("", "/admin/*path", GET, "admin")
            .build()
            .table();
    Map<String, String> expected =
        Map.of(
            "/public/%2e%2e/admin/secret", "admin",
            "/public/%2E%2E/admin/secret", "admin",
            "/public/../admin/secret", "admin",
            "/public//..//admin/secret", "admin",
            "/public/./../admin/secret", "admin",
            "/admin/../public/file", "public",
            "/%61dmin/secret", "admin",
            "/public/x/%2e./../../admin/secret", "admin");
    expected.forEach(
        (raw, route) -> {
          String path = PathNormalizer.normalize(raw);
          assertThat(path).as(raw).isNotNull();
          assertThat(table.find("", "GET", path).value()).as(raw).isEqualTo(route);
        });
    for (String raw : List.of("/public/..%2Fadmin/secret", "/public/..;/admin/secret", "/public/..\\admin")) {
      assertThat(PathNormalizer.normalize(raw)).as(raw).isNull();
    }
  }
}
