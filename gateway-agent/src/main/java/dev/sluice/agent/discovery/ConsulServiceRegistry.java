package dev.sluice.agent.discovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.catalog.ServiceWeights;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.kiwiproject.consul.option.QueryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's instances from Consul's health API ({@code GET /v1/health/service/<name>}) with
 * blocking queries, so a change arrives as soon as Consul commits it.
 *
 * <p>Every instance is kept with its aggregated check status (any critical check → CRITICAL, else
 * any warning → WARNING, else PASSING), so operators see critical instances too; only PASSING and
 * WARNING ones serve. A failed query (unreachable agent, timeout, any non-2xx answer) keeps the last
 * known list, marks the registry stale and retries with capped exponential backoff and jitter; an
 * empty list from a successful query is Consul's real answer and is delivered. One daemon thread per
 * registry does all the HTTP; the listener is called on it.
 *
 * <p>Follows Consul's blocking-query rules: an index that goes backwards resets the loop to index 0
 * (a fresh, non-blocking read), an index below 1 is raised to 1, the first query after a failure
 * does not block (so the registry is fresh again as soon as Consul answers), and queries start at least {@value
 * #MIN_QUERY_SPACING_MILLIS} ms apart so a misbehaving answer cannot make a hot loop.
 */
public final class ConsulServiceRegistry implements ServiceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ConsulServiceRegistry.class);
  static final long MIN_QUERY_SPACING_MILLIS = 50;
  static final String WEIGHT_META = "weight";
  static final String ZONE_META = "zone";

  private final String service;
  private final String consulName;
  private final RegistrySettings.ConsulRegistry settings;
  private final Consul consul;
  private final Backoff backoff;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AtomicInteger staleGauge = new AtomicInteger();
  private final Gauge stale;
  private final Counter refreshErrors;
  private final Thread worker;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;
  private volatile List<ServiceInstance> instances = List.of();
  private volatile Map<String, String> consulIds = Map.of();
  private volatile RegistryStatus status;
  private @Nullable RegistryListener listener;

  /**
   * Reads the token file and TLS material now; makes no request until {@link #start}.
   *
   * @throws IllegalArgumentException if the settings are invalid
   * @throws UncheckedIOException if the token file or TLS material cannot be read
   */
  public ConsulServiceRegistry(String service, RegistrySettings.ConsulRegistry settings, MeterRegistry meters) {
    this(service, settings, meters, Clock.systemUTC());
  }

  ConsulServiceRegistry(String service, RegistrySettings.ConsulRegistry settings, MeterRegistry meters, Clock clock) {
    RegistrySettings.requireValid(settings);
    this.service = service;
    this.settings = settings;
    this.consulName = settings.serviceName() == null ? service : settings.serviceName();
    this.clock = clock;
    this.meters = meters;
    this.backoff = new Backoff(settings.retryInitial(), settings.retryMax());
    this.consul = client(settings);
    this.status = RegistryStatus.loading(clock.instant());
    Tags tags = Tags.of("service", service);
    this.stale = Gauge.builder("sluice.registry.stale", staleGauge, AtomicInteger::get)
        .description("1 while the service's instance list is not current (registry failing or not yet loaded)")
        .tags(tags)
        .register(meters);
    this.refreshErrors = Counter.builder("sluice.registry.refresh.errors")
        .description("Failed registry queries")
        .tags(tags)
        .register(meters);
    staleGauge.set(1);
    this.worker = new Thread(this::watch, "sluice-consul-" + service);
    worker.setDaemon(true);
  }

  private static Consul client(RegistrySettings.ConsulRegistry settings) {
    Consul.Builder builder = Consul.builder()
        .withUrl(settings.address().toString())
        .withPing(false)
        .withConnectTimeoutMillis(settings.connectTimeout().toMillis());
    String token = token(settings);
    if (token != null) {
      builder.withHeaders(Map.of("X-Consul-Token", token));
    }
    if (settings.tls() != null) {
      try {
        TlsMaterial tls = TlsMaterial.load(settings.tls());
        builder.withSslContext(tls.context()).withTrustManager(tls.trustManager());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read TLS material for Consul: " + e.getMessage(), e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("unusable TLS material for Consul: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  private static @Nullable String token(RegistrySettings.ConsulRegistry settings) {
    if (settings.tokenFile() == null) {
      return settings.token();
    }
    try {
      String token = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).strip();
      return token.isEmpty() ? null : token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Consul token file " + settings.tokenFile(), e);
    }
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public void start(RegistryListener listener) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("registry of " + service + " already started");
    }
    this.listener = listener;
    worker.start();
  }

  @Override
  public List<ServiceInstance> instances() {
    return instances;
  }

  @Override
  public RegistryStatus status() {
    return status;
  }

  /**
   * Puts the instance in Consul maintenance mode ({@code PUT /v1/agent/service/maintenance/<id>}) or
   * takes it out. Blocks for one HTTP call: never call it on an event loop. Consul serves this
   * endpoint only on the agent the service is registered with, so it works for instances registered
   * with the configured agent; for others Consul answers 404 and the result says so.
   *
   * @param instanceId the instance's id as listed by this registry
   * @param reason kept by Consul as the maintenance check's notes; ignored when disabling
   */
  public MaintenanceResult setMaintenance(String instanceId, boolean enable, String reason) {
    String consulId = consulIds.get(instanceId);
    if (consulId == null) {
      return MaintenanceResult.failed("instance " + instanceId + " is not listed for " + service);
    }
    try {
      ImmutableQueryOptions.Builder options = ImmutableQueryOptions.builder().enable(enable);
      if (enable && !reason.isBlank()) {
        options.reason(reason);
      }
      consul.agentClient().toggleMaintenanceMode(consulId, options.build());
      LOG.info("registry {}: consul maintenance {} for {}", service, enable ? "enabled" : "disabled", instanceId);
      return MaintenanceResult.ok();
    } catch (RuntimeException e) {
      String error = describe(e);
      LOG.warn("registry {}: consul maintenance call for {} failed: {}", service, instanceId, error);
      return MaintenanceResult.failed(error);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    consul.destroy();
    worker.interrupt();
    if (started.get() && Thread.currentThread() != worker) {
      try {
        worker.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    meters.remove(stale);
    meters.remove(refreshErrors);
  }

  private void watch() {
    BigInteger index = BigInteger.ZERO;
    int failures = 0;
    long lastStart = 0;
    List<String> lastSkipped = List.of();
    while (!closed) {
      long sinceLast = System.nanoTime() - lastStart;
      if (lastStart != 0 && sinceLast < TimeUnit.MILLISECONDS.toNanos(MIN_QUERY_SPACING_MILLIS)) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(MIN_QUERY_SPACING_MILLIS) - sinceLast);
        continue;
      }
      lastStart = System.nanoTime();
      ConsulResponse<List<ServiceHealth>> response;
      try {
        response = consul.healthClient().getAllServiceInstances(consulName, query(index));
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        failures++;
        // a fresh, non-blocking read after the outage confirms the list at once
        index = BigInteger.ZERO;
        onFailure(describe(e), failures);
        sleep(backoff.delayNanos(failures));
        continue;
      }
      if (closed) {
        return;
      }
      BigInteger next = response.getIndex() == null ? BigInteger.ZERO : response.getIndex();
      List<String> skipped = new ArrayList<>();
      List<ServiceInstance> list = toInstances(response.getResponse() == null ? List.of() : response.getResponse(), skipped);
      if (!skipped.equals(lastSkipped)) {
        if (!skipped.isEmpty()) {
          LOG.warn("registry {}: ignoring consul instances without a usable address or port: {}", service, skipped);
        }
        lastSkipped = skipped;
      }
      failures = 0;
      onSuccess(response.getResponse() == null ? List.of() : response.getResponse(), list);
      if (next.compareTo(index) < 0) {
        index = BigInteger.ZERO;
      } else {
        index = next.signum() > 0 ? next : BigInteger.ONE;
      }
    }
  }

  private QueryOptions query(BigInteger index) {
    ImmutableQueryOptions.Builder options = ImmutableQueryOptions.builder();
    if (settings.datacenter() != null) {
      options.datacenter(settings.datacenter());
    }
    options.tag(settings.tags());
    if (index.signum() > 0) {
      options.index(index).wait(settings.waitTime().toSeconds() + "s");
    }
    return options.build();
  }

  /** Updates the list and the status first, then tells the listener, so a failing listener loses nothing. */
  private void onSuccess(List<ServiceHealth> entries, List<ServiceInstance> next) {
    RegistryStatus previous = status;
    boolean listChanged = !next.equals(instances) || previous.freshness() == RegistryStatus.Freshness.LOADING;
    if (listChanged) {
      consulIds = consulIdsOf(entries);
      instances = next;
    }
    boolean statusChanged = previous.freshness() != RegistryStatus.Freshness.FRESH;
    if (statusChanged) {
      status = RegistryStatus.fresh(clock.instant());
      staleGauge.set(0);
      if (previous.consecutiveErrors() > 0) {
        LOG.info("registry {}: consul answers again after {} failed queries; {} instances",
            service, previous.consecutiveErrors(), next.size());
      }
    }
    RegistryListener target = listener;
    if (target == null) {
      return;
    }
    if (listChanged) {
      try {
        target.onInstances(service, next);
      } catch (RuntimeException e) {
        LOG.error("registry {}: listener failed on a new list; the list is kept and the watch goes on", service, e);
      }
    }
    if (statusChanged) {
      try {
        target.onStatus(service, status);
      } catch (RuntimeException e) {
        LOG.error("registry {}: listener failed on a status change", service, e);
      }
    }
  }

  private void onFailure(String error, int failures) {
    refreshErrors.increment();
    RegistryStatus previous = status;
    boolean changed = previous.freshness() == RegistryStatus.Freshness.FRESH || previous.lastError() == null;
    RegistryStatus.Freshness freshness = previous.freshness() == RegistryStatus.Freshness.LOADING
        ? RegistryStatus.Freshness.LOADING : RegistryStatus.Freshness.STALE;
    status = new RegistryStatus(freshness, changed ? clock.instant() : previous.since(), error, failures);
    staleGauge.set(1);
    if (changed) {
      LOG.warn("registry {}: consul query failed, keeping {} last known instances and retrying with backoff: {}",
          service, instances.size(), error);
      RegistryListener target = listener;
      if (target != null) {
        try {
          target.onStatus(service, status);
        } catch (RuntimeException e) {
          LOG.error("registry {}: listener failed on a status change", service, e);
        }
      }
    }
  }

  private Map<String, String> consulIdsOf(List<ServiceHealth> entries) {
    Map<String, String> ids = new HashMap<>();
    for (Map.Entry<String, ServiceHealth> entry : byInstanceId(entries).entrySet()) {
      ids.put(entry.getKey(), entry.getValue().getService().getId());
    }
    return Map.copyOf(ids);
  }

  /** Consul service IDs are unique per agent only; an ID seen on several nodes becomes {@code id@node}. */
  private static Map<String, ServiceHealth> byInstanceId(List<ServiceHealth> entries) {
    Map<String, Integer> counts = new HashMap<>();
    for (ServiceHealth entry : entries) {
      counts.merge(entry.getService().getId(), 1, Integer::sum);
    }
    Map<String, ServiceHealth> result = new HashMap<>();
    for (ServiceHealth entry : entries) {
      String id = entry.getService().getId();
      result.put(counts.get(id) > 1 ? id + "@" + entry.getNode().getNode() : id, entry);
    }
    return result;
  }

  /** The instances, id-sorted; entries without a usable host or port are left out and their ids added to {@code skipped}. */
  static List<ServiceInstance> toInstances(List<ServiceHealth> entries, List<String> skipped) {
    List<ServiceInstance> list = new ArrayList<>(entries.size());
    for (Map.Entry<String, ServiceHealth> entry : byInstanceId(entries).entrySet()) {
      Service service = entry.getValue().getService();
      String host = service.getAddress() == null || service.getAddress().isEmpty()
          ? entry.getValue().getNode().getAddress() : service.getAddress();
      if (host == null || host.isEmpty() || service.getPort() < 1 || service.getPort() > 65_535) {
        skipped.add(entry.getKey());
        continue;
      }
      Map<String, String> meta = service.getMeta() == null ? Map.of() : service.getMeta();
      list.add(new ServiceInstance(
          entry.getKey(),
          host,
          service.getPort(),
          weight(meta.get(WEIGHT_META), service.getWeights()),
          meta.get(ZONE_META),
          health(entry.getValue().getChecks()),
          service.getTags() == null ? List.of() : service.getTags(),
          meta));
    }
    list.sort(Comparator.comparing(ServiceInstance::id));
    skipped.sort(Comparator.naturalOrder());
    return List.copyOf(list);
  }

  /** Meta {@code weight} when it is a whole number in range, else Consul's {@code Weights.Passing}, else 1. */
  static int weight(@Nullable String meta, Optional<ServiceWeights> weights) {
    if (meta != null) {
      try {
        int value = Integer.parseInt(meta.trim());
        if (value >= 1 && value <= ServiceInstance.MAX_WEIGHT) {
          return value;
        }
      } catch (NumberFormatException notANumber) {
        // fall back to Consul's own weight
      }
    }
    if (weights != null && weights.isPresent()) {
      return Math.max(1, Math.min(ServiceInstance.MAX_WEIGHT, weights.get().getPassing()));
    }
    return 1;
  }

  /** The worst check wins: any status other than passing or warning (critical, maintenance) is CRITICAL. */
  static RegistryHealth health(@Nullable List<HealthCheck> checks) {
    RegistryHealth worst = RegistryHealth.PASSING;
    if (checks == null) {
      return worst;
    }
    for (HealthCheck check : checks) {
      String status = check.getStatus() == null ? "" : check.getStatus().toLowerCase(Locale.ROOT);
      if (status.equals("passing")) {
        continue;
      }
      if (status.equals("warning")) {
        worst = RegistryHealth.WARNING;
      } else {
        return RegistryHealth.CRITICAL;
      }
    }
    return worst;
  }

  /** One line for logs and the status; OkHttp's and Consul's messages never carry the token header. */
  static String describe(Throwable error) {
    if (error instanceof ConsulException consulError && consulError.hasCode()) {
      String message = consulError.getMessage() == null ? "" : consulError.getMessage();
      int colon = message.indexOf("]: ");
      String body = colon < 0 ? "" : message.substring(colon + 3).strip();
      body = body.length() > 200 ? body.substring(0, 200) + "…" : body;
      return "status " + consulError.getCode() + (body.isEmpty() ? "" : ": " + body.replace('\n', ' '));
    }
    Throwable cause = error.getCause() == null ? error : error.getCause();
    if (cause instanceof ConnectException) {
      return "connect failed: " + cause.getMessage();
    }
    if (cause instanceof SocketTimeoutException) {
      return "timeout: " + cause.getMessage();
    }
    if (cause instanceof InterruptedIOException) {
      return "interrupted: " + cause.getMessage();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private void sleep(long nanos) {
    long deadline = System.nanoTime() + nanos;
    long left = nanos;
    while (!closed && left > 0) {
      LockSupport.parkNanos(this, left);
      left = deadline - System.nanoTime();
    }
  }
}
