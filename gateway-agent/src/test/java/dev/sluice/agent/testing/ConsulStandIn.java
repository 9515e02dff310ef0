package dev.sluice.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP stand-in for a Consul agent, because no Consul server can be installed on the test machines.
 * It is written from Consul's documented HTTP API and implements only what Sluice uses:
 *
 * <ul>
 *   <li>{@code GET /v1/health/service/<name>} ("Health - HTTP API", "List Service Instances for
 *       Service"): a JSON array of {@code {Node, Service, Checks}} as documented, filtered by every
 *       {@code tag} parameter, by {@code passing} when present, and by {@code dc} (an unknown
 *       datacenter answers 500 "No path to datacenter", as Consul does);
 *   <li>blocking queries ("Blocking Queries"): every answer carries {@code X-Consul-Index} (plus
 *       {@code X-Consul-KnownLeader} and {@code X-Consul-LastContact}); a request with {@code index}
 *       is held until the service's index exceeds it or {@code wait} (Go duration, default 5 m, at most
 *       10 m) plus up to wait/16 of jitter has passed; a snapshot restore ({@link #restoreIndex}) makes
 *       the index go backwards and releases every held query at once, as Consul's abandon channel does;
 *   <li>ACLs: when a token is required, {@code X-Consul-Token} (or the legacy {@code token} parameter)
 *       must carry it, else 403 "ACL not found";
 *   <li>{@code PUT /v1/agent/service/maintenance/<id>?enable=…&reason=…} ("Agent Service - Enable
 *       Maintenance Mode"): adds or removes the critical {@code _service_maintenance:<id>} check; 404
 *       for an unknown service ID, 400 without {@code enable}.
 * </ul>
 *
 * <p>Outages: {@link #stop()} closes the listener (connect refused) and {@link #start()} opens it again
 * on the same port; {@link #failWith(int, String)} answers every request with that status, as an agent
 * without a cluster leader does.
 */
public final class ConsulStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final String DATACENTER = "dc1";

  /** One request as received; the token as it arrived (header or query), for assertions. */
  public record Request(String method, String path, Map<String, List<String>> query, @Nullable String tokenHeader) {}

  /** One registered service instance. */
  public static final class Entry {
    final String node;
    final String nodeAddress;
    final String id;
    final String name;
    final List<String> tags;
    final String address;
    final int port;
    final Map<String, String> meta;
    final int weightPassing;
    final Map<String, Map<String, String>> checks = new LinkedHashMap<>();

    Entry(String node, String nodeAddress, String id, String name, List<String> tags, String address, int port,
        Map<String, String> meta, int weightPassing) {
      this.node = node;
      this.nodeAddress = nodeAddress;
      this.id = id;
      this.name = name;
      this.tags = List.copyOf(tags);
      this.address = address;
      this.port = port;
      this.meta = Map.copyOf(meta);
      this.weightPassing = weightPassing;
    }
  }

  private final Object lock = new Object();
  private final Map<String, List<Entry>> services = new LinkedHashMap<>();
  private final Map<String, Long> indexes = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "consul-stand-in");
    thread.setDaemon(true);
    return thread;
  });
  private long raftIndex = 100;
  private long generation;
  private int failStatus;
  private String failBody = "";
  private @Nullable String requiredToken;
  private int port;
  private volatile @Nullable HttpServer server;

  private final @Nullable SSLContext tls;

  public ConsulStandIn() throws IOException {
    this(null);
  }

  /** An HTTPS stand-in with {@code tls}'s server certificate, requiring a client certificate it trusts. */
  public ConsulStandIn(@Nullable SSLContext tls) throws IOException {
    this.tls = tls;
    start();
  }

  public int port() {
    return port;
  }

  public String address() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** Opens the listener, on the port used before if there was one. */
  public synchronized void start() throws IOException {
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    HttpServer created;
    if (tls == null) {
      created = HttpServer.create(bind, 50);
    } else {
      HttpsServer https = HttpsServer.create(bind, 50);
      https.setHttpsConfigurator(new HttpsConfigurator(tls) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters parameters = tls.getDefaultSSLParameters();
          parameters.setNeedClientAuth(true);
          params.setSSLParameters(parameters);
        }
      });
      created = https;
    }
    created.createContext("/", this::handle);
    created.setExecutor(executor);
    created.start();
    port = created.getAddress().getPort();
    server = created;
  }

  /** Closes the listener and every open connection: clients see connect refused or a reset. */
  public synchronized void stop() {
    HttpServer current = server;
    server = null;
    synchronized (lock) {
      generation++;
      lock.notifyAll();
    }
    if (current != null) {
      current.stop(0);
    }
  }

  public void requireToken(@Nullable String token) {
    synchronized (lock) {
      requiredToken = token;
    }
  }

  /** From now on every request gets {@code status} with {@code body}; 0 returns to normal. */
  public void failWith(int status, String body) {
    synchronized (lock) {
      failStatus = status;
      failBody = body;
      generation++;
      lock.notifyAll();
    }
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Registers (or replaces) an instance with one passing service check, like {@code PUT /v1/agent/service/register}. */
  public void register(String service, String id, String address, int port, List<String> tags, Map<String, String> meta) {
    register(service, id, "node-1", address, port, tags, meta, 1);
  }

  public void register(String service, String id, String node, String address, int port, List<String> tags,
      Map<String, String> meta, int weightPassing) {
    synchronized (lock) {
      List<Entry> list = services.computeIfAbsent(service, s -> new ArrayList<>());
      list.removeIf(e -> e.id.equals(id) && e.node.equals(node));
      Entry entry = new Entry(node, "10.9.9.9", id, service, tags, address, port, meta, weightPassing);
      entry.checks.put("serfHealth", check(node, "serfHealth", "Serf Health Status", "passing", "", "", ""));
      entry.checks.put("service:" + id, check(node, "service:" + id, "Service '" + service + "' check", "passing", "", id, service));
      list.add(entry);
      bump(service);
    }
  }

  public void deregister(String service, String id) {
    synchronized (lock) {
      List<Entry> list = services.get(service);
      if (list != null && list.removeIf(e -> e.id.equals(id))) {
        bump(service);
      }
    }
  }

  /** Sets the status ({@code passing}, {@code warning}, {@code critical}) of the instance's service check. */
  public void setCheck(String service, String id, String status) {
    synchronized (lock) {
      Entry entry = find(service, id);
      if (entry == null) {
        throw new IllegalArgumentException("no instance " + id);
      }
      entry.checks.get("service:" + id).put("Status", status);
      bump(service);
    }
  }

  /** Sets the status of the node's {@code serfHealth} check for every instance on {@code node}. */
  public void setNodeCheck(String node, String status) {
    synchronized (lock) {
      for (Map.Entry<String, List<Entry>> service : services.entrySet()) {
        for (Entry entry : service.getValue()) {
          if (entry.node.equals(node)) {
            entry.checks.get("serfHealth").put("Status", status);
            bump(service.getKey());
          }
        }
      }
    }
  }

  /** Whether the instance carries the maintenance check, and its notes (the reason). */
  public @Nullable String maintenanceReason(String service, String id) {
    synchronized (lock) {
      Entry entry = find(service, id);
      Map<String, String> check = entry == null ? null : entry.checks.get("_service_maintenance:" + id);
      return check == null ? null : check.get("Notes");
    }
  }

  /** Sets the service's index to {@code index} as a snapshot restore would, releasing every held query. */
  public void restoreIndex(String service, long index) {
    synchronized (lock) {
      raftIndex = index;
      indexes.put(service, index);
      generation++;
      lock.notifyAll();
    }
  }

  public long index(String service) {
    synchronized (lock) {
      return indexes.getOrDefault(service, raftIndex);
    }
  }

  private void bump(String service) {
    raftIndex++;
    indexes.put(service, raftIndex);
    lock.notifyAll();
  }

  private @Nullable Entry find(String service, String id) {
    for (Entry entry : services.getOrDefault(service, List.of())) {
      if (entry.id.equals(id)) {
        return entry;
      }
    }
    return null;
  }

  private static Map<String, String> check(String node, String id, String name, String status, String notes,
      String serviceId, String serviceName) {
    Map<String, String> check = new LinkedHashMap<>();
    check.put("Node", node);
    check.put("CheckID", id);
    check.put("Name", name);
    check.put("Status", status);
    check.put("Notes", notes);
    check.put("Output", "");
    check.put("ServiceID", serviceId);
    check.put("ServiceName", serviceName);
    return check;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
      String path = exchange.getRequestURI().getPath();
      String header = exchange.getRequestHeaders().getFirst("X-Consul-Token");
      requests.add(new Request(exchange.getRequestMethod(), path, query, header));
      String token = header != null ? header : first(query, "token");
      synchronized (lock) {
        if (failStatus != 0) {
          send(exchange, failStatus, failBody, null);
          return;
        }
        if (requiredToken != null && !requiredToken.equals(token)) {
          send(exchange, 403, "ACL not found", null);
          return;
        }
      }
      if (path.startsWith("/v1/health/service/") && exchange.getRequestMethod().equals("GET")) {
        health(exchange, path.substring("/v1/health/service/".length()), query);
      } else if (path.startsWith("/v1/agent/service/maintenance/") && exchange.getRequestMethod().equals("PUT")) {
        maintenance(exchange, path.substring("/v1/agent/service/maintenance/".length()), query);
      } else {
        send(exchange, 404, "Not found", null);
      }
    }
  }

  private void health(HttpExchange exchange, String service, Map<String, List<String>> query) throws IOException {
    String dc = first(query, "dc");
    if (dc != null && !dc.equals(DATACENTER)) {
      send(exchange, 500, "No path to datacenter", null);
      return;
    }
    String indexParam = first(query, "index");
    long deadline = System.nanoTime() + waitNanos(first(query, "wait"));
    List<Map<String, Object>> body;
    long index;
    synchronized (lock) {
      long generationAtStart = generation;
      if (indexParam != null) {
        long wanted = Long.parseLong(indexParam);
        while (indexes.getOrDefault(service, raftIndex) <= wanted && generation == generationAtStart) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            lock.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      if (failStatus != 0) {
        send(exchange, failStatus, failBody, null);
        return;
      }
      if (server == null) {
        return;
      }
      index = indexes.getOrDefault(service, raftIndex);
      body = new ArrayList<>();
      List<String> tags = query.getOrDefault("tag", List.of());
      boolean passingOnly = query.containsKey("passing");
      for (Entry entry : services.getOrDefault(service, List.of())) {
        if (!entry.tags.containsAll(tags)) {
          continue;
        }
        if (passingOnly && entry.checks.values().stream().anyMatch(c -> !c.get("Status").equals("passing"))) {
          continue;
        }
        body.add(json(entry));
      }
    }
    send(exchange, 200, JSON.writeValueAsString(body), index);
  }

  private void maintenance(HttpExchange exchange, String id, Map<String, List<String>> query) throws IOException {
    String enable = first(query, "enable");
    if (enable == null) {
      send(exchange, 400, "Missing value for enable", null);
      return;
    }
    synchronized (lock) {
      for (Map.Entry<String, List<Entry>> service : services.entrySet()) {
        for (Entry entry : service.getValue()) {
          if (entry.id.equals(id)) {
            String checkId = "_service_maintenance:" + id;
            if (Boolean.parseBoolean(enable)) {
              String reason = first(query, "reason");
              entry.checks.put(checkId, check(entry.node, checkId, "Service Maintenance Mode", "critical",
                  reason != null ? reason
                      : "Maintenance mode is enabled for this service, but no reason was provided. This is a default message.",
                  id, entry.name));
            } else {
              entry.checks.remove(checkId);
            }
            bump(service.getKey());
            send(exchange, 200, "", null);
            return;
          }
        }
      }
    }
    send(exchange, 404, "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service name.", null);
  }

  private static Map<String, Object> json(Entry entry) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("ID", "40e4a748-2192-161a-0510-9bf59fe950b5");
    node.put("Node", entry.node);
    node.put("Address", entry.nodeAddress);
    node.put("Datacenter", DATACENTER);
    node.put("TaggedAddresses", Map.of("lan", entry.nodeAddress, "wan", entry.nodeAddress));
    node.put("Meta", Map.of("instance_type", "t2.medium"));
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("ID", entry.id);
    service.put("Service", entry.name);
    service.put("Tags", entry.tags);
    service.put("Address", entry.address);
    service.put("Meta", entry.meta);
    service.put("Port", entry.port);
    service.put("Weights", Map.of("Passing", entry.weightPassing, "Warning", 1));
    service.put("Namespace", "default");
    List<Map<String, Object>> checks = new ArrayList<>();
    for (Map<String, String> check : entry.checks.values()) {
      Map<String, Object> copy = new LinkedHashMap<>(check);
      copy.put("ServiceTags", check.get("ServiceID").isEmpty() ? List.of() : entry.tags);
      copy.put("Namespace", "default");
      checks.add(copy);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("Node", node);
    result.put("Service", service);
    result.put("Checks", checks);
    return result;
  }

  private static long waitNanos(@Nullable String wait) {
    Duration duration = Duration.ofMinutes(5);
    if (wait != null) {
      Matcher m = GO_DURATION.matcher(wait);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        duration = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
    }
    if (duration.compareTo(Duration.ofMinutes(10)) > 0) {
      duration = Duration.ofMinutes(10);
    }
    long nanos = duration.toNanos();
    return nanos + ThreadLocalRandom.current().nextLong(nanos / 16 + 1);
  }

  private static void send(HttpExchange exchange, int status, String body, @Nullable Long index) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (index != null) {
      exchange.getResponseHeaders().add("X-Consul-Index", Long.toString(index));
      exchange.getResponseHeaders().add("X-Consul-KnownLeader", "true");
      exchange.getResponseHeaders().add("X-Consul-LastContact", "0");
      exchange.getResponseHeaders().add("Content-Type", "application/json");
    } else {
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, List<String>> query(@Nullable String raw) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return result;
  }

  private static @Nullable String first(Map<String, List<String>> query, String key) {
    List<String> values = query.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }
}
