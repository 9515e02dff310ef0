package dev.sluice.agent.runtime;

import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.balancing.Balancer;
import dev.sluice.agent.balancing.Endpoint;
import dev.sluice.agent.balancing.LeastRequestBalancer;
import dev.sluice.agent.balancing.RoundRobinBalancer;
import dev.sluice.agent.config.BalancerKind;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.proxy.RouteLimiter;
import dev.sluice.agent.resilience.BreakerSettings;
import dev.sluice.agent.resilience.BreakerTransition;
import dev.sluice.agent.resilience.CircuitBreaker;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.resilience.OutlierEjection;
import dev.sluice.agent.resilience.OutlierSettings;
import dev.sluice.agent.resilience.RetryBudget;
import dev.sluice.agent.resilience.RetryBudgetSettings;
import dev.sluice.agent.resilience.Ticker;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The stateful protections that survive snapshot rebuilds: breakers, outlier detectors, retry
 * budgets, balancers and endpoints per service, rate limiters per route. Each is looked up by its
 * service or route and rebuilt only when its settings change, so a reload or a runtime change to one
 * route leaves every other route's buckets and every unchanged breaker as they were. Breaker
 * transitions and ejections are published to the {@link EventLog} (lock-free, from the reporting thread).
 */
public final class ResilienceRegistry {

    private final Ticker ticker;
    private final EventLog events;
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, OutlierDetector> outliers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> ejections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Balancer> balancers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BalancerKind> balancerKinds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicBoolean> drainFlags = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RouteLimiter> limiters = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, OutlierEjection> ejectionHook = (service, ejection) -> {};

    public ResilienceRegistry(Ticker ticker, EventLog events) {
        this.ticker = ticker;
        this.events = events;
    }

    public Ticker ticker() {
        return ticker;
    }

    /** The service's breaker; a new one (closed, empty window) only when the settings changed. */
    public CircuitBreaker breaker(String service, BreakerSettings settings) {
        return breakers.compute(service, (name, existing) ->
                existing != null && existing.settings().equals(settings)
                        ? existing
                        : new CircuitBreaker(settings, ticker, transition -> publish(name, transition)));
    }

    /** The service's breaker as it is, or null for an unknown service. */
    public @Nullable CircuitBreaker breaker(String service) {
        return breakers.get(service);
    }

    public OutlierDetector outlier(String service, OutlierSettings settings) {
        AtomicLong epoch = ejections(service);
        return outliers.compute(service, (name, existing) ->
                existing != null && existing.settings().equals(settings)
                        ? existing
                        : new OutlierDetector(settings, ticker, ejection -> ejected(name, epoch, ejection)));
    }

    public @Nullable OutlierDetector outlier(String service) {
        return outliers.get(service);
    }

    /** Bumped at every ejection of one of the service's instances, so selectors recompute their candidates. */
    public AtomicLong ejections(String service) {
        return ejections.computeIfAbsent(service, name -> new AtomicLong());
    }

    public RetryBudget retryBudget(String service) {
        return budgets.computeIfAbsent(service, name -> new RetryBudget(RetryBudgetSettings.DEFAULTS, ticker));
    }

    public Balancer balancer(String service, BalancerKind kind) {
        BalancerKind previous = balancerKinds.put(service, kind);
        if (previous != kind) {
            balancers.remove(service);
        }
        return balancers.computeIfAbsent(service, name -> kind == BalancerKind.LEAST_REQUEST
                ? new LeastRequestBalancer() : new RoundRobinBalancer());
    }

    /** The instance's endpoint (its in-flight count); a new one when its weight changed. */
    public Endpoint endpoint(String service, String instanceId, int weight) {
        return endpoints.compute(service + "/" + instanceId, (key, existing) ->
                existing != null && existing.weight() == weight ? existing : new Endpoint(instanceId, weight));
    }

    public AtomicBoolean drainFlag(String service, String instanceId) {
        return drainFlags.computeIfAbsent(service + "/" + instanceId, key -> new AtomicBoolean());
    }

    /** The route's limiter; a new one (full buckets) only when its limit changed. */
    public RouteLimiter limiter(String routeId, RateLimitConfig config) {
        return limiters.compute(routeId, (id, existing) ->
                existing != null && existing.config().equals(config) ? existing : new RouteLimiter(config, ticker));
    }

    /** Told of every ejection, on the reporting thread (an event loop): it publishes the event; keep it short. */
    public void onEjection(BiConsumer<String, OutlierEjection> hook) {
        this.ejectionHook = hook;
    }

    /** Forgets the state of services and routes no longer in the config. */
    public void retain(Set<String> services, Set<String> routes, Set<String> instanceKeys) {
        breakers.keySet().retainAll(services);
        outliers.keySet().retainAll(services);
        budgets.keySet().retainAll(services);
        balancers.keySet().retainAll(services);
        balancerKinds.keySet().retainAll(services);
        limiters.keySet().retainAll(routes);
        endpoints.keySet().retainAll(instanceKeys);
        drainFlags.keySet().retainAll(instanceKeys);
    }

    /** Forgets a route's limiter (its limit was removed). */
    public void dropLimiter(String routeId) {
        limiters.remove(routeId);
    }

    private void publish(String service, BreakerTransition transition) {
        events.append(new AgentEvent.BreakerTransition(service,
                AgentEvent.BreakerPhase.valueOf(transition.from().name()),
                AgentEvent.BreakerPhase.valueOf(transition.to().name()),
                AgentEvent.BreakerOverrideMode.valueOf(transition.override().name()),
                transition.cause()));
    }

    private void ejected(String service, AtomicLong epoch, OutlierEjection ejection) {
        epoch.incrementAndGet();
        // the hook (ServiceDiscovery) publishes the HealthChanged event, off the event loop
        ejectionHook.accept(service, ejection);
    }
}
