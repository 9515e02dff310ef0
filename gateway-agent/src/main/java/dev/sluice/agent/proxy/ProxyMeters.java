package dev.sluice.agent.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The counters of what the client side of the proxy refuses: requests whose framing, syntax or size
 * cannot be accepted ({@code sluice_requests_refused_total{reason}}) and connections closed on accept
 * because a listener is full ({@code sluice_connections_refused_total{listener}}). Reasons are a closed
 * set ({@link RequestRejection}), so the label's cardinality is bounded. Thread-safe.
 */
public final class ProxyMeters {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> refusedRequests = new ConcurrentHashMap<>();
    private final Function<String, Counter> newRefusedCounter = this::newRefusedCounter;

    public ProxyMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counters that go nowhere, for handlers tested on their own. */
    static ProxyMeters unregistered() {
        return new ProxyMeters(new SimpleMeterRegistry());
    }

    void refused(String reason) {
        refusedRequests.computeIfAbsent(reason, newRefusedCounter).increment();
    }

    /** The counter of connections a listener closed on accept; look it up once per listener. */
    Counter connectionsRefused(String listener) {
        return Counter.builder("sluice.connections.refused")
                .description("Client connections closed on accept because the listener holds its maximum")
                .tags("listener", listener)
                .register(registry);
    }

    /** How many requests were refused for this reason so far. */
    public double refusedCount(String reason) {
        Counter counter = refusedRequests.get(reason);
        return counter == null ? 0 : counter.count();
    }

    private Counter newRefusedCounter(String reason) {
        return Counter.builder("sluice.requests.refused")
                .description("Requests refused before routing: framing, syntax, size limits, slow heads")
                .tags("reason", reason)
                .register(registry);
    }
}
