package dev.sluice.console.demo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo gateway serves: five sample services with 2–4 instances each and twenty routes in a
 * realistic tree, each route with the share of demo traffic it gets. Kept as data so the config
 * file, the upstreams and the traffic generator cannot disagree.
 */
final class DemoTopology {
  private DemoTopology() {}

  /** A sample service: its instance count and its typical (median) latency. */
  record Service(String name, int instances, double medianMillis) {}

  /**
   * A route: one method (the generator sends it), a path pattern, the service, requests per second
   * of demo traffic, and an optional rate limit written as YAML flow text.
   */
  record Route(String id, String method, String path, String service, double rps, String limit) {}

  static final List<Service> SERVICES = List.of(
      new Service("users", 3, 14),
      new Service("orders", 3, 38),
      new Service("payments", 2, 120),
      new Service("catalog", 4, 9),
      new Service("static-assets", 2, 3));

  static final List<Route> ROUTES = List.of(
      new Route("users-list", "GET", "/api/v1/users", "users", 2.5, ""),
      new Route("users-get", "GET", "/api/v1/users/:id", "users", 7, ""),
      new Route("users-update", "PUT", "/api/v1/users/:id/profile", "users", 0.8, ""),
      new Route("users-sessions", "POST", "/api/v1/users/:id/sessions", "users", 1.5, ""),
      new Route("users-me", "GET", "/api/v1/me", "users", 3, ""),
      new Route("orders-list", "GET", "/api/v1/orders", "orders", 2.5, ""),
      new Route("orders-create", "POST", "/api/v1/orders", "orders", 3,
          "{requestsPerSecond: 2, burst: 4, key: route}"),
      new Route("orders-get", "GET", "/api/v1/orders/:id", "orders", 4, ""),
      new Route("orders-items", "GET", "/api/v1/orders/:id/items", "orders", 2, ""),
      new Route("orders-cancel", "POST", "/api/v1/orders/:id/cancel", "orders", 0.4, ""),
      new Route("payments-charge", "POST", "/api/v1/payments/charge", "payments", 2,
          "{requestsPerSecond: 20, burst: 10, key: clientIp}"),
      new Route("payments-refund", "POST", "/api/v1/payments/refunds", "payments", 0.3, ""),
      new Route("payments-get", "GET", "/api/v1/payments/:id", "payments", 1, ""),
      new Route("catalog-products", "GET", "/api/v2/catalog/products", "catalog", 5, ""),
      new Route("catalog-product", "GET", "/api/v2/catalog/products/:sku", "catalog", 7, ""),
      new Route("catalog-search", "GET", "/api/v2/catalog/search", "catalog", 4,
          "{requestsPerSecond: 50, burst: 20, key: clientIp}"),
      new Route("catalog-categories", "GET", "/api/v2/catalog/categories", "catalog", 1.5, ""),
      new Route("static", "GET", "/static/*file", "static-assets", 9, ""),
      new Route("payments-webhook", "POST", "/hooks/payments/:provider", "payments", 0.4, ""),
      new Route("health", "GET", "/healthz", "users", 0.5, ""));

  /** Routes whose idempotent calls get a second try on another instance. */
  private static final Set<String> RETRIED = Set.of("users-get", "catalog-product", "orders-get");

  /**
   * The agent's config file: proxy on an ephemeral loopback port, the admin API on {@code adminPort}
   * with an operator, a viewer and a payments-scoped operator token (given as SHA-256 hashes), and
   * the upstream ports.
   */
  static String yaml(int adminPort, String operatorHash, String viewerHash, String paymentsHash,
      Map<String, List<SampleUpstream>> upstreams) {
    StringBuilder y = new StringBuilder();
    y.append("""
        agent:
          id: demo-edge-1
          cluster: demo
          maxOverrideTtl: 24h
        accessLog: {enabled: false}
        listeners:
          - {name: public, host: 127.0.0.1, port: 0}
        admin:
          host: 127.0.0.1
          port: %d
          tokens:
            - {name: demo-operator, sha256: %s, role: operator, permissions: [permanent-override]}
            - {name: demo-viewer, sha256: %s, role: viewer}
            - {name: demo-payments-oncall, sha256: %s, role: operator, \
        scope: {services: [payments], routePrefixes: [/api/v1/payments, /hooks/payments]}}
        services:
        """.formatted(adminPort, operatorHash, viewerHash, paymentsHash));
    for (Service service : SERVICES) {
      // Round robin, not least-request: a dead instance fails fast, has no requests in flight and
      // would draw traffic until the breaker opens, before outlier detection could eject it.
      // A 60 % threshold lets one dead instance of two be ejected without opening the breaker.
      y.append("""
            - name: %s
              balancer: round-robin
              connectTimeout: 500ms
              responseTimeout: 5s
              minHealthyPercent: 50
              breaker: {windowSize: 50, minimumCalls: 20, failureRateThreshold: 60, \
          slowCallRateThreshold: 80, slowCallDuration: 1s, openDuration: 15s, halfOpenCalls: 3}
              outlier: {consecutiveFailures: 5, baseEjectionTime: 10s, maxEjectionTime: 60s, \
          maxEjectedPercent: 50}
              instances:
          """.formatted(service.name()));
      int zone = 0;
      for (SampleUpstream instance : upstreams.get(service.name())) {
        y.append("      - {host: 127.0.0.1, port: %d, id: %s, zone: demo-%s}\n"
            .formatted(instance.port(), instance.id(), (char) ('a' + zone++ % 2)));
      }
    }
    y.append("routes:\n");
    for (Route route : ROUTES) {
      y.append("  - id: ").append(route.id()).append('\n')
          .append("    match: {path: \"").append(route.path()).append("\", methods: [")
          .append(route.method()).append("]}\n")
          .append("    service: ").append(route.service()).append('\n');
      if (route.path().startsWith("/api")) {
        y.append("    stripPrefix: /api\n");
      }
      if (!route.limit().isEmpty()) {
        y.append("    rateLimit: ").append(route.limit()).append('\n');
      }
      if (RETRIED.contains(route.id())) {
        y.append("    retry: {maxAttempts: 2, perTryTimeout: 2s}\n");
      }
    }
    return y.toString();
  }
}
