package dev.sluice.agent.runtime;

import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.discovery.ConsulServiceRegistry;
import dev.sluice.agent.discovery.MaintenanceResult;
import dev.sluice.agent.discovery.RegistryListener;
import dev.sluice.agent.discovery.RegistrySettings;
import dev.sluice.agent.discovery.RegistryStatus;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.discovery.ServiceRegistry;
import dev.sluice.agent.health.ActiveHealthChecker;
import dev.sluice.agent.health.HealthCheckSettings;
import dev.sluice.agent.health.HealthChecks;
import dev.sluice.agent.health.HealthFlip;
import dev.sluice.agent.health.InstanceHealth;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.OutlierEjection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each service's registry watch (Consul) and active health checker, and tells the runtime when
 * the instances that serve may have changed. {@link #sync} follows the config: a service whose
 * registry or health-check settings changed gets a new watcher and checker, one that is gone loses
 * them, every other one is left running. Changes are coalesced onto one thread ({@code
 * sluice-discovery}), which calls the {@link #onChange} hook to rebuild the snapshot, so a burst of
 * Consul answers or check flips costs one rebuild. Health flips, registry changes, ejections and
 * their ends are published to the {@link EventLog} from that thread: each {@code HealthChanged}
 * says the verdict of the input that changed and, after a {@code "; "}, whether the instance now
 * serves overall, as the {@link OverallState} hook describes it.
 */
public final class ServiceDiscovery implements InstanceSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscovery.class);

    private final MeterRegistry meters;
    private final EventLog events;
    private final ResilienceRegistry resilience;
    private final HealthChecks healthChecks;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> {};
    private volatile OverallState overall = (service, instanceId) -> "";
    private volatile boolean closed;

    public ServiceDiscovery(MeterRegistry meters, EventLog events, ResilienceRegistry resilience) {
        this.meters = meters;
        this.events = events;
        this.resilience = resilience;
        this.healthChecks = new HealthChecks();
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-discovery");
            thread.setDaemon(true);
            return thread;
        });
        resilience.onEjection(this::ejected);
    }

    /**
     * Describes whether an instance serves once every input is counted (registry, check, drain,
     * ejection, panic), for the events; called on the {@code sluice-discovery} thread.
     */
    @FunctionalInterface
    public interface OverallState {
        /** A short phrase such as {@code overall: serving}; "" when nothing is known. */
        String describe(String service, String instanceId);
    }

    /** Sets the hook that adds the overall state to each {@code HealthChanged} event. */
    public void describeOverallWith(OverallState hook) {
        this.overall = Objects.requireNonNull(hook, "hook");
    }

    /** Called on the {@code sluice-discovery} thread after instances, their health or a registry's status changed. */
    public void onChange(Runnable hook) {
        this.onChange = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Starts, restarts or stops watchers and checkers so they match {@code config}'s services. Call it
     * before the snapshot of that config is built, so a changed registry starts from its last known list.
     */
    public synchronized void sync(GatewayConfig config) {
        if (closed) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (ServiceConfig service : config.services()) {
            names.add(service.name());
            Watch existing = watches.get(service.name());
            boolean wanted = service.consul() != null || service.healthCheck() != null;
            if (existing != null && wanted && existing.sameSettings(service)) {
                existing.followFile(service);
                continue;
            }
            List<ServiceInstance> lastKnown = List.of();
            if (existing != null) {
                // closed but still listed until its successor replaces it, so a rebuild meanwhile keeps its list;
                // closed first because the successor registers meters of the same name
                lastKnown = existing.lastKnown();
                existing.close();
                LOG.info("service {}: registry or health-check settings changed; its watcher and checker restart",
                        service.name());
            }
            if (wanted) {
                Watch watch = new Watch(service, lastKnown);
                watches.put(service.name(), watch);
                watch.start(service);
            } else if (existing != null) {
                watches.remove(service.name());
            }
        }
        for (Map.Entry<String, Watch> entry : Map.copyOf(watches).entrySet()) {
            if (!names.contains(entry.getKey())) {
                watches.remove(entry.getKey());
                entry.getValue().close();
                LOG.info("service {} removed; its watcher and checker stopped", entry.getKey());
            }
        }
        requestRefresh();
    }

    /**
     * Waits until every Consul registry has answered once (or failed), at most {@code limit}, so an
     * agent that starts with Consul reachable serves its first request with the instances.
     *
     * @return whether every registry answered in time
     */
    public boolean awaitFirstLists(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            boolean loading = false;
            for (Watch watch : watches.values()) {
                ServiceRegistry registry = watch.registry;
                if (registry != null && registry.status().freshness() == RegistryStatus.Freshness.LOADING
                        && registry.status().lastError() == null) {
                    loading = true;
                }
            }
            if (!loading) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public ServiceInstances instances(ServiceConfig service) {
        Watch watch = watches.get(service.name());
        if (service.consul() == null) {
            Map<String, InstanceHealth> checks =
                    watch == null || watch.checker == null ? null : watch.checker.snapshot();
            return new ServiceInstances(InstanceSource.fromFile(service), checks, RegistryStatus.fresh(Instant.EPOCH));
        }
        if (watch == null) {
            return new ServiceInstances(List.of(), null, RegistryStatus.loading(Instant.now()));
        }
        return watch.view();
    }

    @Override
    public MaintenanceResult setMaintenance(String service, String instanceId, boolean enable, String reason) {
        Watch watch = watches.get(service);
        if (watch == null || !(watch.registry instanceof ConsulServiceRegistry consul)) {
            return InstanceSource.super.setMaintenance(service, instanceId, enable, reason);
        }
        return consul.setMaintenance(instanceId, enable, reason);
    }

    /** Stops every watcher, checker and the health event loop. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Watch watch : watches.values()) {
            watch.close();
        }
        watches.clear();
        worker.shutdownNow();
        healthChecks.close();
    }

    private void requestRefresh() {
        if (closed || !refreshPending.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                refreshPending.set(false);
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.error("rebuilding the snapshot after an instance change failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshPending.set(false);
        }
    }

    /**
     * Appends the event on the {@code sluice-discovery} thread, after the input has changed, so the
     * overall state it reports counts the change; an ejection is reported from an event loop, which
     * must not build a state view.
     */
    private void publish(String service, String instanceId, boolean serving, String cause) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> events.append(new AgentEvent.HealthChanged(service, instanceId, serving,
                    withOverall(cause, service, instanceId))));
        } catch (RejectedExecutionException e) {
            LOG.debug("not announcing a health change of {}/{}: discovery is closed", service, instanceId);
        }
    }

    private String withOverall(String cause, String service, String instanceId) {
        String state;
        try {
            state = overall.describe(service, instanceId);
        } catch (RuntimeException e) {
            LOG.warn("describing the overall state of {}/{} failed", service, instanceId, e);
            state = "";
        }
        return state.isEmpty() ? cause : cause + "; " + state;
    }

    /** Announces the ejection's end when its time comes, unless the instance was ejected again meanwhile. */
    private void ejected(String service, OutlierEjection ejection) {
        publish(service, ejection.instanceId(), false, "outlier ejection: " + ejection.cause());
        long delay = Math.max(0, ejection.untilNanos() - resilience.ticker().nanos());
        if (closed) {
            return;
        }
        try {
            worker.schedule(() -> {
                OutlierDetector detector = resilience.outlier(service);
                if (detector == null) {
                    return;
                }
                long until = detector.ejectedUntilNanos(detector.instance(ejection.instanceId()));
                if (until == Long.MIN_VALUE || until - resilience.ticker().nanos() <= 0) {
                    publish(service, ejection.instanceId(), true, "outlier ejection ended");
                }
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("not announcing the end of an ejection: discovery is closed");
        }
    }

    /** One service's registry watch and active checker, replaced as a whole when their settings change. */
    private final class Watch implements RegistryListener {
        final String service;
        final RegistrySettings.@Nullable ConsulRegistry consul;
        final @Nullable HealthCheckSettings check;
        final @Nullable ServiceRegistry registry;
        final @Nullable ActiveHealthChecker checker;
        private final List<ServiceInstance> carried;
        private volatile @Nullable String startFailure;
        private @Nullable Map<String, ServiceInstance> previous;
        private boolean wasStale;

        Watch(ServiceConfig config, List<ServiceInstance> carried) {
            this.service = config.name();
            this.consul = config.consul();
            this.check = config.healthCheck();
            this.carried = carried;
            ServiceRegistry created = null;
            if (consul != null) {
                try {
                    created = ServiceRegistry.create(service, consul, meters);
                } catch (RuntimeException e) {
                    startFailure = e.getMessage();
                    LOG.error("service {}: cannot create its Consul registry, keeping {} last known instances: {}",
                            service, carried.size(), e.getMessage());
                }
            }
            this.registry = created;
            this.checker = check == null ? null : healthChecks.checker(service, check, this::flipped);
        }

        boolean sameSettings(ServiceConfig config) {
            return Objects.equals(consul, config.consul()) && Objects.equals(check, config.healthCheck());
        }

        void start(ServiceConfig config) {
            if (checker != null) {
                // before the registry starts, so its first answer comes after and wins
                checker.updateInstances(consul == null ? InstanceSource.fromFile(config) : carried);
            }
            if (registry != null) {
                registry.start(this);
            }
        }

        /** A static service's file instances changed (or not): the checker follows them. */
        void followFile(ServiceConfig config) {
            if (consul == null && checker != null) {
                checker.updateInstances(InstanceSource.fromFile(config));
            }
        }

        List<ServiceInstance> lastKnown() {
            ServiceRegistry r = registry;
            if (r == null || r.status().freshness() == RegistryStatus.Freshness.LOADING) {
                return carried;
            }
            return r.instances();
        }

        ServiceInstances view() {
            Map<String, InstanceHealth> checks = checker == null ? null : checker.snapshot();
            ServiceRegistry r = registry;
            if (r == null) {
                return new ServiceInstances(carried, checks, new RegistryStatus(RegistryStatus.Freshness.LOADING,
                        Instant.now(), startFailure == null ? "registry not created" : startFailure, 1));
            }
            RegistryStatus status = r.status();
            // until the new registry answers, the previous one's list (if any) still serves
            List<ServiceInstance> list = status.freshness() == RegistryStatus.Freshness.LOADING ? carried : r.instances();
            return new ServiceInstances(list, checks, status);
        }

        boolean current() {
            return !closed && watches.get(service) == this;
        }

        @Override
        public void onInstances(String name, List<ServiceInstance> instances) {
            if (!current()) {
                return;
            }
            if (checker != null) {
                checker.updateInstances(instances);
            }
            Map<String, ServiceInstance> next = new HashMap<>();
            for (ServiceInstance instance : instances) {
                next.put(instance.id(), instance);
            }
            Map<String, ServiceInstance> before = previous;
            previous = next;
            int serving = 0;
            for (ServiceInstance instance : instances) {
                if (instance.health().serves()) {
                    serving++;
                }
            }
            LOG.info("service {}: consul lists {} instance(s), {} passing or warning", service, instances.size(), serving);
            if (before != null) {
                announceRegistryChanges(before, next);
            }
            requestRefresh();
        }

        private void announceRegistryChanges(Map<String, ServiceInstance> before, Map<String, ServiceInstance> after) {
            for (ServiceInstance instance : after.values()) {
                ServiceInstance old = before.get(instance.id());
                String health = instance.health().name().toLowerCase(Locale.ROOT);
                if (old == null) {
                    publish(service, instance.id(), instance.health().serves(), "registry: registered in consul (" + health + ")");
                } else if (old.health().serves() != instance.health().serves()) {
                    publish(service, instance.id(), instance.health().serves(), "registry: consul " + health);
                }
            }
            for (String id : before.keySet()) {
                if (!after.containsKey(id)) {
                    publish(service, id, false, "registry: deregistered from consul");
                }
            }
        }

        @Override
        public void onStatus(String name, RegistryStatus status) {
            if (!current()) {
                return;
            }
            boolean stale = status.isStale()
                    || status.freshness() == RegistryStatus.Freshness.LOADING && status.lastError() != null;
            if (stale != wasStale) {
                wasStale = stale;
                events.append(new AgentEvent.RegistryStale(service, stale,
                        stale ? Objects.requireNonNullElse(status.lastError(), "unreachable") : ""));
            }
            requestRefresh();
        }

        private void flipped(HealthFlip flip) {
            if (!current()) {
                return;
            }
            publish(service, flip.instanceId(), flip.healthy(), "active check: " + flip.reason());
            requestRefresh();
        }

        void close() {
            if (registry != null) {
                registry.close();
            }
            if (checker != null) {
                checker.close();
            }
        }
    }
}
