package dev.sluice.agent.upstream;

import dev.sluice.agent.balancing.Balancer;
import dev.sluice.agent.balancing.Endpoint;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.PanicThreshold;
import dev.sluice.agent.resilience.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Chooses among a service's serving instances (not drained, not ejected, not failing their registry
 * or active health check) with its balancer, or among
 * every non-drained instance while the service is in panic (see docs/resilience.md). The candidate
 * arrays are rebuilt only when the set changes: an ejection (the detector bumps {@code ejections}) or
 * the end of one (a deadline on the ticker); picking is lock-free and allocation-free.
 */
public final class ServingSelector implements InstanceSelector {

    private final List<UpstreamInstance> instances;
    private final Set<String> failing;
    private final Balancer balancer;
    private final OutlierDetector outlier;
    private final AtomicLong ejections;
    private final Ticker ticker;
    private volatile Candidates candidates;

    public ServingSelector(List<UpstreamInstance> instances, Balancer balancer, OutlierDetector outlier,
                           AtomicLong ejections, Ticker ticker) {
        this(instances, Set.of(), balancer, outlier, ejections, ticker);
    }

    /**
     * @param failing ids of the instances their registry or active health check takes out (they still
     *     get traffic in panic)
     */
    public ServingSelector(List<UpstreamInstance> instances, Set<String> failing, Balancer balancer,
                           OutlierDetector outlier, AtomicLong ejections, Ticker ticker) {
        this.instances = List.copyOf(instances);
        this.failing = Set.copyOf(failing);
        this.balancer = balancer;
        this.outlier = outlier;
        this.ejections = ejections;
        this.ticker = ticker;
        this.candidates = compute();
    }

    @Override
    public @Nullable UpstreamInstance select() {
        Candidates c = candidates;
        if (c.epoch != ejections.get() || ticker.nanos() - c.validUntilNanos >= 0) {
            c = compute();
            candidates = c;
        }
        int index = balancer.pick(c.endpoints);
        return index < 0 ? null : c.instances[index];
    }

    /** Whether the service is in panic now (fewer healthy instances than its threshold). */
    public boolean inPanic() {
        return candidates.panic;
    }

    private Candidates compute() {
        long epoch = ejections.get();
        long now = ticker.nanos();
        List<UpstreamInstance> eligible = new ArrayList<>(instances.size());
        List<UpstreamInstance> healthy = new ArrayList<>(instances.size());
        long validUntil = now + Long.MAX_VALUE / 2;
        for (UpstreamInstance instance : instances) {
            if (instance.drained()) {
                continue;
            }
            eligible.add(instance);
            if (failing.contains(instance.id())) {
                continue;
            }
            long until = outlier.ejectedUntilNanos(instance.outlier());
            if (until != Long.MIN_VALUE && until - now > 0) {
                validUntil = until - validUntil < 0 ? until : validUntil;
            } else {
                healthy.add(instance);
            }
        }
        boolean panic = PanicThreshold.inPanic(healthy.size(), eligible.size(), outlier.settings().panicThresholdPercent());
        List<UpstreamInstance> chosen = panic ? eligible : healthy;
        UpstreamInstance[] array = chosen.toArray(new UpstreamInstance[0]);
        Endpoint[] endpoints = new Endpoint[array.length];
        for (int i = 0; i < array.length; i++) {
            endpoints[i] = array[i].endpoint();
        }
        return new Candidates(array, endpoints, epoch, validUntil, panic);
    }

    private record Candidates(UpstreamInstance[] instances, Endpoint[] endpoints, long epoch, long validUntilNanos,
                              boolean panic) {}
}
