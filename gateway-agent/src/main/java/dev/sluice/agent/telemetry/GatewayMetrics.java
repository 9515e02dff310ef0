package dev.sluice.agent.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's meter registry and the meters that outlive snapshots: per-route in-flight gauges,
 * upstream connect errors and pool usage per instance, and the JVM binders. One per agent.
 */
public final class GatewayMetrics implements AutoCloseable {

    /** Route tag for requests that matched no route (400, 404, 405). */
    public static final String UNMATCHED = "unmatched";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> connectErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PoolGauges> pools = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Builds the meters of one route; call when a snapshot is built, never per request. */
    public RouteMetrics route(String route, Collection<String> methods) {
        AtomicInteger gauge = inFlight.computeIfAbsent(route, r -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("sluice.requests.inflight", value, AtomicInteger::get)
                    .description("Requests received and not yet answered")
                    .tags("route", r)
                    .register(registry);
            return value;
        });
        return new RouteMetrics(registry, route, methods, gauge);
    }

    /** The connect-error counter of a service; look it up when a snapshot is built. */
    public Counter connectErrors(String service) {
        return connectErrors.computeIfAbsent(service, s -> Counter.builder("sluice.upstream.connect.errors")
                .description("Failed attempts to open a connection to an instance of the service")
                .tags("service", s)
                .register(registry));
    }

    /** Open and idle pooled connection counts of one instance, summed over event loops. */
    public PoolGauges pool(String instance) {
        return pools.computeIfAbsent(instance, i -> {
            PoolGauges gauges = new PoolGauges();
            Gauge.builder("sluice.upstream.connections", gauges.open(), AtomicLong::get)
                    .description("Open connections to the instance (busy and idle)")
                    .tags("instance", i, "state", "open")
                    .register(registry);
            Gauge.builder("sluice.upstream.connections", gauges, PoolGauges::idle)
                    .description("Idle pooled connections to the instance")
                    .tags("instance", i, "state", "idle")
                    .register(registry);
            return gauges;
        });
    }

    /** Sum of in-flight requests over all routes. */
    public int totalInFlight() {
        int total = 0;
        for (AtomicInteger value : inFlight.values()) {
            total += value.get();
        }
        return total;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /**
     * Counters the connection pools of one instance update, each on its own event loop, and the gauges
     * read. The idle count changes twice per request, so each loop keeps its own (written by that loop
     * only, never by the other) and the gauge sums them: no cache line moves between cores per request.
     */
    public static final class PoolGauges {
        private final AtomicLong open = new AtomicLong();
        private final List<AtomicLong> idlePerLoop = new CopyOnWriteArrayList<>();

        /** Open connections, busy and idle; changes only when a connection opens or closes. */
        public AtomicLong open() {
            return open;
        }

        /** A new idle count for one event loop's pool; only that loop may set it. */
        public AtomicLong newIdleCount() {
            AtomicLong count = new AtomicLong();
            idlePerLoop.add(count);
            return count;
        }

        /** Idle pooled connections over all event loops. */
        public double idle() {
            long total = 0;
            for (AtomicLong count : idlePerLoop) {
                total += count.get();
            }
            return total;
        }
    }
}
