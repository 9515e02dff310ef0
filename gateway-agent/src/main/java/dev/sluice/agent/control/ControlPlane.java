package dev.sluice.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agent.admin.events.AgentEvent;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.admin.state.RuntimeState;
import dev.sluice.agent.admin.state.StateLoad;
import dev.sluice.agent.admin.state.StateStore;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigWriter;
import dev.sluice.agent.config.Durations;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.config.RouteConfig;
import dev.sluice.agent.config.ServiceConfig;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.discovery.MaintenanceResult;
import dev.sluice.agent.discovery.ServiceInstance;
import dev.sluice.agent.filter.FilterSecrets;
import dev.sluice.agent.health.InstanceStatus;
import dev.sluice.agent.health.ServingSet;
import dev.sluice.agent.resilience.BreakerOverride;
import dev.sluice.agent.resilience.BreakerSnapshot;
import dev.sluice.agent.resilience.CircuitBreaker;
import dev.sluice.agent.resilience.HealthFloor;
import dev.sluice.agent.resilience.OutlierDetector;
import dev.sluice.agent.runtime.GatewaySnapshot;
import dev.sluice.agent.runtime.InstanceSource;
import dev.sluice.agent.runtime.ServiceInstances;
import dev.sluice.agent.runtime.ResilienceRegistry;
import dev.sluice.agent.runtime.SnapshotBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one {@link GatewayControl}: the effective config is the file's config with the
 * runtime changes ({@link RuntimeState}) laid over it. Every change and file reload goes through one
 * writer: checked, persisted with {@link StateStore} (before anything is swapped: if the state
 * cannot be saved nothing changes), built into a snapshot, swapped, versioned, announced. Overrides
 * with a time-to-live are reverted by a scheduler thread at their deadline as changes by
 * {@code sluice-agent}. Reads ({@link #state()}, {@link #version()}) take no lock.
 */
public final class ControlPlane implements GatewayControl, AutoCloseable {

    public static final String AGENT_PRINCIPAL = "sluice-agent";
    public static final String AGENT_ROLE = "agent";

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnapshotBuilder builder;
    private final ResilienceRegistry registry;
    private final InstanceSource instances;
    private final Consumer<GatewaySnapshot> swap;
    private final @Nullable StateStore store;
    private final EventLog events;
    private final Clock clock;
    private final List<ControlListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService expiry;
    private final ExecutorService notifier;
    private final Object writer = new Object();
    private volatile View view;
    private final @Nullable String stateProblem;
    private @Nullable ScheduledFuture<?> nextExpiry;
    // Guarded by writer. Expiries wait here for a recorder so that each is announced once, with its audit entry.
    private @Nullable ExpiryRecorder expiryRecorder;
    private final java.util.ArrayDeque<PendingExpiry> unannounced = new java.util.ArrayDeque<>();
    private static final int MAX_UNANNOUNCED = 1024;

    private record PendingExpiry(Change change, ChangeOutcome.Applied outcome, AgentEvent.OverrideExpired event) {}

    /** What is in force: the version, the file's config, the runtime changes and their result. */
    private record View(long version, GatewayConfig file, RuntimeState overlay, GatewayConfig effective,
                        java.util.Set<String> drained) {}

    private ControlPlane(SnapshotBuilder builder, Consumer<GatewaySnapshot> swap, @Nullable StateStore store,
                         EventLog events, Clock clock, View first, @Nullable String stateProblem) {
        this.builder = builder;
        this.registry = builder.registry();
        this.instances = builder.instances();
        this.swap = swap;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.view = first;
        this.stateProblem = stateProblem;
        this.expiry = Executors.newSingleThreadScheduledExecutor(daemon("sluice-control-expiry"));
        this.notifier = Executors.newSingleThreadExecutor(daemon("sluice-control-notify"));
    }

    /**
     * Loads the runtime state (if any) over {@code file}, swaps the first snapshot in and re-arms the
     * deadlines of overrides (one already past expires at once, as a change of its own).
     *
     * @param store where runtime changes are kept; null keeps them in memory only
     */
    public static ControlPlane start(GatewayConfig file, SnapshotBuilder builder, Consumer<GatewaySnapshot> swap,
                                     @Nullable StateStore store, EventLog events, Clock clock) {
        RuntimeState loaded = RuntimeState.EMPTY;
        String problem = null;
        if (store != null) {
            try {
                StateLoad load = store.load();
                loaded = load.state();
                if (load instanceof StateLoad.SetAside aside) {
                    problem = aside.problem();
                }
            } catch (IOException e) {
                problem = "runtime state file " + store.file() + " cannot be read: " + e.getMessage()
                        + "; started from the config file alone";
                LOG.error(problem);
            }
        }
        Overlay.Result overlay = fitted(file, loaded);
        long version = loaded.configVersion() + 1;
        GatewaySnapshot snapshot = builder.build(overlay.config(), overlay.drained(), version);
        View first = new View(version, file, withVersion(overlay.state(), version), overlay.config(), overlay.drained());
        ControlPlane control = new ControlPlane(builder, swap, store, events, clock, first, problem);
        control.logDropped(overlay.dropped());
        if (store != null && !loaded.isEmpty()) {
            try {
                store.save(first.overlay());
            } catch (IOException e) {
                LOG.error("cannot save the runtime state to {}: {}", store.file(), e.getMessage());
            }
        }
        swap.accept(snapshot);
        control.syncBreakers(first, null);
        if (!loaded.isEmpty()) {
            LOG.info("runtime changes from {} in force: {} route(s) set, {} deleted, {} limit(s), {} breaker override(s), {} drain(s)",
                    store == null ? "memory" : store.file(), first.overlay().routeUpserts().size(),
                    first.overlay().routeDeletes().size(), first.overlay().limitOverrides().size(),
                    first.overlay().breakerOverrides().size(), first.overlay().drains().size());
        }
        events.append(new AgentEvent.ConfigChanged(0, version, AgentEvent.ChangeSource.STARTUP,
                routeIds(first.effective()), serviceNames(first.effective()), null));
        control.rearm();
        return control;
    }

    @Override
    public long version() {
        return view.version();
    }

    /** Why the runtime state file could not be used at start (it was set aside), or null. */
    public @Nullable String stateProblem() {
        return stateProblem;
    }

    /** The file's config as last loaded, without runtime changes. */
    public GatewayConfig fileConfig() {
        return view.file();
    }

    /** The config in force: the file's with the runtime changes laid over it. */
    public GatewayConfig effectiveConfig() {
        return view.effective();
    }

    /** The runtime changes in force, as persisted. */
    public RuntimeState runtimeState() {
        return view.overlay();
    }

    @Override
    public void addListener(ControlListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void recordExpiriesWith(ExpiryRecorder recorder) {
        synchronized (writer) {
            expiryRecorder = Objects.requireNonNull(recorder, "recorder");
            announceExpiries();
        }
    }

    private void announceExpiries() {
        ExpiryRecorder recorder = expiryRecorder;
        if (recorder == null) {
            return;
        }
        while (!unannounced.isEmpty()) {
            PendingExpiry pending = unannounced.pollFirst();
            AgentEvent.OverrideExpired event = pending.event();
            try {
                event = recorder.record(pending.change(), pending.outcome(), event);
            } catch (RuntimeException e) {
                LOG.error("recording the expiry of {} failed; announced without its audit entry",
                        pending.change().target(), e);
            }
            events.append(event);
        }
    }

    /**
     * Puts a newly loaded file config in force with the runtime changes laid over it again. An
     * overlay entry that no longer fits (its route or service is gone) is dropped, logged at WARN
     * and published as an event.
     *
     * @return the new version
     */
    public long reloadFile(GatewayConfig file) {
        synchronized (writer) {
            View v = view;
            Overlay.Result overlay = fitted(file, v.overlay());
            long next = v.version() + 1;
            GatewaySnapshot snapshot = builder.build(overlay.config(), overlay.drained(), next);
            RuntimeState state = withVersion(overlay.state(), next);
            persist(state);
            View after = new View(next, file, state, overlay.config(), overlay.drained());
            view = after;
            swap.accept(snapshot);
            syncBreakers(after, null);
            logDropped(overlay.dropped());
            for (Map.Entry<String, RuntimeState.Drain> e : v.overlay().drains().entrySet()) {
                if (!state.drains().containsKey(e.getKey())) {
                    events.append(new AgentEvent.DrainChanged(e.getValue().service(), e.getValue().instanceId(), false, null));
                }
            }
            events.append(new AgentEvent.ConfigChanged(v.version(), next, AgentEvent.ChangeSource.FILE_RELOAD,
                    routeIds(after.effective()), serviceNames(after.effective()), null));
            rearm();
            return next;
        }
    }

    /**
     * Rebuilds the snapshot in force from the same config and version with the instances as the
     * {@link InstanceSource} lists them now (a registry answer, a health-check flip). Not a config
     * change: no version, no event, nothing persisted.
     */
    public void refreshInstances() {
        synchronized (writer) {
            View v = view;
            swap.accept(builder.build(v.effective(), v.drained(), v.version()));
        }
    }

    @Override
    public ChangeOutcome apply(ChangeContext context, Change change) {
        ChangeOutcome outcome;
        RuntimeState.@Nullable Drain drain;
        synchronized (writer) {
            RuntimeState.Drain before = drainOf(view, change);
            outcome = applyLocked(context, change, false);
            drain = change instanceof Change.Undrain ? before : drainOf(view, change);
        }
        if (outcome instanceof ChangeOutcome.Applied applied && !applied.dryRun()) {
            List<String> problems = maintenance(context, change, drain);
            if (!problems.isEmpty()) {
                List<String> warnings = new ArrayList<>(applied.warnings());
                warnings.addAll(problems);
                return new ChangeOutcome.Applied(applied.version(), applied.beforeJson(), applied.afterJson(),
                        applied.expiresAt(), warnings, false, applied.belowFloor());
            }
        }
        return outcome;
    }

    /** The drain a drain or undrain change is about, as it stands in {@code v}; null for other changes. */
    private static RuntimeState.@Nullable Drain drainOf(View v, Change change) {
        if (change instanceof Change.Drain c) {
            return v.overlay().drains().get(RuntimeState.Drain.key(c.service(), c.instanceId()));
        }
        if (change instanceof Change.Undrain c) {
            return v.overlay().drains().get(RuntimeState.Drain.key(c.service(), c.instanceId()));
        }
        return null;
    }

    /**
     * Sets or clears Consul maintenance mode after a drain or undrain is in force, when the drain
     * recorded that it sets maintenance ({@link RuntimeState.Drain#consulMaintenance()}, persisted, so
     * this holds across restarts) or the service asks for it. Outside the writer lock: it is one HTTP
     * call to Consul. A failure is returned as a warning; the drain itself holds either way.
     *
     * @param drain for a drain the drain now in force, for an undrain the one it removed
     */
    private List<String> maintenance(ChangeContext context, Change change, RuntimeState.@Nullable Drain drain) {
        boolean enable = change instanceof Change.Drain;
        if (drain == null || !(enable || change instanceof Change.Undrain)) {
            return List.of();
        }
        String service = drain.service();
        String instanceId = drain.instanceId();
        ServiceConfig config = view.effective().service(service);
        boolean asked = config != null && config.consul() != null && (drain.consulMaintenance() || config.consulMaintenance());
        if (!asked) {
            return List.of();
        }
        String key = RuntimeState.Drain.key(service, instanceId);
        String reason = "drained in sluice by " + context.principal() + ": " + Objects.requireNonNullElse(context.reason(), "");
        MaintenanceResult result = instances.setMaintenance(service, instanceId, enable, reason);
        if (result.done()) {
            return List.of();
        }
        String problem = "consul maintenance mode not " + (enable ? "set" : "cleared") + " for " + key + ": "
                + result.error() + (enable ? "; the drain holds in sluice all the same" : "");
        LOG.warn(problem);
        return List.of(problem);
    }

    private ChangeOutcome applyLocked(ChangeContext context, Change requested, boolean expired) {
        View v = view;
        List<Violation> unresolved = new ArrayList<>();
        Change change = withCurrentSecrets(requested, v, unresolved);
        if (!unresolved.isEmpty()) {
            return new ChangeOutcome.Invalid(unresolved);
        }
        List<Violation> invalid = validate(context, change, v.effective());
        if (!invalid.isEmpty()) {
            return new ChangeOutcome.Invalid(invalid);
        }
        if (context.expectedVersion() != 0 && context.expectedVersion() != v.version()) {
            return new ChangeOutcome.Conflict(context.expectedVersion(), v.version());
        }
        Instant now = clock.instant();
        Plan plan = plan(v, context, change, now);
        ChangeOutcome refusal = plan.refusal();
        if (refusal != null) {
            return refusal;
        }
        RuntimeState nextState = Objects.requireNonNull(plan.state());
        Overlay.Result overlay = Overlay.apply(v.file(), nextState);
        if (change instanceof Change.UpsertRoute || change instanceof Change.DeleteRoute) {
            List<Violation> cross = relativeToChange(ConfigLoader.crossCheck(overlay.config()), overlay.config(), change);
            if (!cross.isEmpty()) {
                return new ChangeOutcome.Invalid(cross);
            }
        }
        String before = targetJson(v, change);
        long next = v.version() + 1;
        View after = new View(next, v.file(), withVersion(overlay.state(), next), overlay.config(), overlay.drained());
        if (context.dryRun()) {
            return new ChangeOutcome.Applied(v.version(), before, targetJson(after, change), plan.expiresAt(),
                    plan.warnings(), true, plan.belowFloor());
        }
        GatewaySnapshot snapshot = builder.build(after.effective(), after.drained(), next);
        persist(after.overlay());
        view = after;
        swap.accept(snapshot);
        syncBreakers(after, change);
        ChangeOutcome.Applied applied = new ChangeOutcome.Applied(next, before, targetJson(after, change),
                plan.expiresAt(), plan.warnings(), false, plan.belowFloor());
        publish(v, after, change, expired);
        rearm();
        for (ControlListener listener : listeners) {
            notifier.execute(() -> notify(listener, context, change, applied, expired));
        }
        return applied;
    }

    /**
     * An upsert's filters with each redacted secret replaced by the route's current one, or else by the
     * config file's (so reverting the removal of a file route's filters brings its secrets back).
     */
    private static Change withCurrentSecrets(Change change, View v, List<Violation> unresolved) {
        if (!(change instanceof Change.UpsertRoute c) || c.keepFilters() || c.route().filters().isEmpty()) {
            return change;
        }
        RouteConfig current = route(v.effective(), c.route().id());
        FilterSecrets.Restored restored = FilterSecrets.restore(c.route().filters(),
                current == null ? List.of() : current.filters(), "route.filters");
        RouteConfig inFile = route(v.file(), c.route().id());
        if (!restored.violations().isEmpty() && inFile != null) {
            FilterSecrets.Restored fromFile = FilterSecrets.restore(c.route().filters(), inFile.filters(), "route.filters");
            restored = fromFile.violations().isEmpty() ? fromFile : restored;
        }
        unresolved.addAll(restored.violations());
        unresolved.addAll(unknownJwksFiles(c.route().filters(), v.file()));
        return new Change.UpsertRoute(c.route().withFilters(restored.specs()), false);
    }

    /**
     * A runtime change may name only a JWKS file the config file already uses: otherwise an operator
     * could make the agent read any file it can open and echo the parse error back.
     */
    private static List<Violation> unknownJwksFiles(List<Map<String, Object>> filters, GatewayConfig file) {
        Set<Object> allowed = new HashSet<>();
        for (RouteConfig route : file.routes()) {
            for (Map<String, Object> spec : route.filters()) {
                Object jwks = spec.get("jwksFile");
                if (jwks != null) {
                    allowed.add(jwks.toString());
                }
            }
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            Object jwks = filters.get(i).get("jwksFile");
            if (jwks != null && !allowed.contains(jwks.toString())) {
                violations.add(new Violation("route.filters[" + i + "].jwksFile",
                        "a runtime change may only use a JWKS file the config file already names"));
            }
        }
        return violations;
    }

    private static void notify(ControlListener listener, ChangeContext context, Change change,
                               ChangeOutcome.Applied applied, boolean expired) {
        try {
            listener.applied(context, change, applied, expired);
        } catch (RuntimeException e) {
            LOG.warn("control listener {} failed on version {}", listener, applied.version(), e);
        }
    }

    // ---- checks that need no state: field paths relative to the change

    private static List<Violation> validate(ChangeContext context, Change change, GatewayConfig effective) {
        List<Violation> violations = new ArrayList<>();
        if (context.reason() == null || context.reason().isBlank()) {
            violations.add(new Violation("reason", "is required: say why, in a few words"));
        }
        Duration maxTtl = effective.agent().maxOverrideTtl();
        if (change instanceof Change.TripBreaker c) {
            required(violations, "service", c.service());
            ttl(violations, c.ttl(), maxTtl);
        } else if (change instanceof Change.ForceCloseBreaker c) {
            required(violations, "service", c.service());
            ttl(violations, c.ttl(), maxTtl);
        } else if (change instanceof Change.ResetBreaker c) {
            required(violations, "service", c.service());
        } else if (change instanceof Change.Drain c) {
            required(violations, "service", c.service());
            required(violations, "instanceId", c.instanceId());
            ttl(violations, c.ttl(), maxTtl);
        } else if (change instanceof Change.Undrain c) {
            required(violations, "service", c.service());
            required(violations, "instanceId", c.instanceId());
        } else if (change instanceof Change.SetRateLimit c) {
            required(violations, "routeId", c.routeId());
            violations.addAll(ConfigLoader.parseRateLimit(limitJson(c.limit()), "limit").violations());
            ttl(violations, c.ttl(), maxTtl);
        } else if (change instanceof Change.ClearRateLimit c) {
            required(violations, "routeId", c.routeId());
        } else if (change instanceof Change.UpsertRoute c) {
            violations.addAll(ConfigLoader.parseRoute(ConfigWriter.route(c.route()), "route").violations());
        } else if (change instanceof Change.DeleteRoute c) {
            required(violations, "routeId", c.routeId());
        } else if (change instanceof Change.ExtendOverride c) {
            if (c.ttl() == null) {
                violations.add(new Violation("ttl", "is required"));
            } else {
                ttl(violations, c.ttl(), maxTtl);
            }
        }
        return violations;
    }

    private static void required(List<Violation> violations, String path, @Nullable String value) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(path, "is required"));
        }
    }

    private static void ttl(List<Violation> violations, @Nullable Duration ttl, Duration max) {
        if (ttl == null) {
            return;
        }
        if (ttl.isZero() || ttl.isNegative()) {
            violations.add(new Violation("ttl", "must be a positive duration, was " + Durations.format(ttl)));
        } else if (ttl.compareTo(max) > 0) {
            violations.add(new Violation("ttl", "must be at most " + Durations.format(max)
                    + " (agent.maxOverrideTtl), was " + Durations.format(ttl)));
        }
    }

    /** Route cross-checks name the file's index; for the changed route they become {@code route.…}. */
    private static List<Violation> relativeToChange(List<Violation> violations, GatewayConfig config, Change change) {
        String changed = change instanceof Change.UpsertRoute u ? u.route().id() : null;
        int index = -1;
        for (int i = 0; i < config.routes().size(); i++) {
            if (config.routes().get(i).id().equals(changed)) {
                index = i;
            }
        }
        String prefix = "routes[" + index + "]";
        List<Violation> relative = new ArrayList<>(violations.size());
        for (Violation violation : violations) {
            String path = violation.path();
            if (index >= 0 && (path.equals(prefix) || path.startsWith(prefix + "."))) {
                relative.add(new Violation("route" + path.substring(prefix.length()), violation.message()));
            } else {
                relative.add(new Violation("route", violation.path().isEmpty() ? violation.message()
                        : violation.path() + ": " + violation.message()));
            }
        }
        return relative;
    }

    // ---- the change against the state in force

    /** Either a refusal, or the new runtime state with what the caller is told. */
    private record Plan(@Nullable ChangeOutcome refusal, @Nullable RuntimeState state, @Nullable Instant expiresAt,
                        List<String> warnings, boolean belowFloor) {
        static Plan refuse(ChangeOutcome outcome) {
            return new Plan(outcome, null, null, List.of(), false);
        }

        static Plan to(RuntimeState state, @Nullable Instant expiresAt, List<String> warnings, boolean belowFloor) {
            return new Plan(null, state, expiresAt, warnings, belowFloor);
        }
    }

    private Plan plan(View v, ChangeContext context, Change change, Instant now) {
        RuntimeState s = v.overlay();
        GatewayConfig effective = v.effective();
        List<String> warnings = new ArrayList<>();
        if (change instanceof Change.TripBreaker c) {
            return breakerOverride(s, effective, c.service(), RuntimeState.BreakerMode.FORCED_OPEN, c.ttl(), context, now);
        } else if (change instanceof Change.ForceCloseBreaker c) {
            return breakerOverride(s, effective, c.service(), RuntimeState.BreakerMode.FORCED_CLOSED, c.ttl(), context, now);
        } else if (change instanceof Change.ResetBreaker c) {
            if (effective.service(c.service()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("service " + c.service()));
            }
            Map<String, RuntimeState.BreakerOverride> breakers = new HashMap<>(s.breakerOverrides());
            breakers.remove(c.service());
            return Plan.to(with(s, null, null, null, breakers, null), null, warnings, false);
        } else if (change instanceof Change.Drain c) {
            ServiceConfig service = effective.service(c.service());
            if (service == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("service " + c.service()));
            }
            ServiceInstances found = instances.instances(service);
            if (found.instance(c.instanceId()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("instance " + c.instanceId() + " of service " + c.service()));
            }
            if (c.consulMaintenance() && service.consul() == null) {
                return Plan.refuse(new ChangeOutcome.Invalid(List.of(new Violation("consulMaintenance",
                        "service " + c.service() + " does not take its instances from Consul"))));
            }
            String key = RuntimeState.Drain.key(c.service(), c.instanceId());
            boolean already = s.drains().containsKey(key);
            int total = found.instances().size();
            int healthyServing = 0;
            boolean targetHealthy = false;
            for (ServiceInstance instance : found.instances()) {
                boolean healthy = !s.drains().containsKey(RuntimeState.Drain.key(c.service(), instance.id()))
                        && InstanceStatus.of(instance, found.check(instance.id()), null, null).serving()
                        && !isEjected(c.service(), instance.id());
                if (healthy) {
                    healthyServing++;
                    if (instance.id().equals(c.instanceId())) {
                        targetHealthy = true;
                    }
                }
            }
            HealthFloor floor = new HealthFloor(service.minHealthyPercent());
            HealthFloor.Decision decision = floor.checkDrain(c.service(), total, healthyServing, targetHealthy);
            boolean belowFloor = !decision.allowed();
            if (belowFloor && !c.allowBelowFloor()) {
                return Plan.refuse(new ChangeOutcome.FloorRefused(c.service(), decision.healthyAfter(), total,
                        service.minHealthyPercent(), decision.message()));
            }
            if (belowFloor) {
                warnings.add("below the floor on purpose: " + decision.message());
            }
            if (already) {
                warnings.add("instance " + key + " was already drained; its reason and deadline are replaced");
            }
            Instant expiresAt = c.ttl() == null ? null : now.plus(c.ttl());
            // A re-drain keeps the maintenance an earlier drain set: the undrain still has to clear it.
            RuntimeState.Drain previous = s.drains().get(key);
            boolean maintenance = service.consul() != null && (c.consulMaintenance() || service.consulMaintenance()
                    || previous != null && previous.consulMaintenance());
            Map<String, RuntimeState.Drain> drains = new HashMap<>(s.drains());
            drains.put(key, new RuntimeState.Drain(c.service(), c.instanceId(), belowFloor, info(context, now, expiresAt),
                    maintenance));
            return Plan.to(with(s, null, null, null, null, drains), expiresAt, warnings, belowFloor);
        } else if (change instanceof Change.Undrain c) {
            String key = RuntimeState.Drain.key(c.service(), c.instanceId());
            if (!s.drains().containsKey(key)) {
                if (effective.service(c.service()) == null) {
                    return Plan.refuse(new ChangeOutcome.NotFound("service " + c.service()));
                }
                return Plan.refuse(new ChangeOutcome.NotFound("drain of instance " + key));
            }
            Map<String, RuntimeState.Drain> drains = new HashMap<>(s.drains());
            drains.remove(key);
            return Plan.to(with(s, null, null, null, null, drains), null, warnings, false);
        } else if (change instanceof Change.SetRateLimit c) {
            if (route(effective, c.routeId()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("route " + c.routeId()));
            }
            Instant expiresAt = c.ttl() == null ? null : now.plus(c.ttl());
            Map<String, RuntimeState.LimitOverride> limits = new HashMap<>(s.limitOverrides());
            limits.put(c.routeId(), new RuntimeState.LimitOverride(limitJson(c.limit()), info(context, now, expiresAt)));
            return Plan.to(with(s, null, null, limits, null, null), expiresAt, warnings, false);
        } else if (change instanceof Change.ClearRateLimit c) {
            if (route(effective, c.routeId()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("route " + c.routeId()));
            }
            Map<String, RuntimeState.LimitOverride> limits = new HashMap<>(s.limitOverrides());
            if (c.removeConfigured()) {
                limits.put(c.routeId(), new RuntimeState.LimitOverride(null, info(context, now, null)));
            } else if (limits.remove(c.routeId()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("runtime rate limit of route " + c.routeId()));
            }
            return Plan.to(with(s, null, null, limits, null, null), null, warnings, false);
        } else if (change instanceof Change.UpsertRoute c) {
            String id = c.route().id();
            if (effective.service(c.route().service()) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("service " + c.route().service()));
            }
            RouteConfig upsert = c.route();
            RouteConfig current = route(effective, id);
            if (c.keepFilters()) {
                // A client that says nothing about filters must not silently drop a route's authentication.
                upsert = upsert.withFilters(current == null ? List.of() : current.filters());
                if (current != null && !current.filters().isEmpty()) {
                    warnings.add("route " + id + " keeps its current filters");
                }
            }
            Map<String, RuntimeState.RouteUpsert> upserts = new HashMap<>(s.routeUpserts());
            upserts.put(id, new RuntimeState.RouteUpsert(ConfigWriter.route(upsert), info(context, now, null)));
            Map<String, RuntimeState.RouteDelete> deletes = new HashMap<>(s.routeDeletes());
            deletes.remove(id);
            if (s.limitOverrides().containsKey(id)) {
                warnings.add("route " + id + " keeps its runtime rate limit; clear it to use the route's own");
            }
            return Plan.to(with(s, upserts, deletes, null, null, null), null, warnings, false);
        } else if (change instanceof Change.DeleteRoute c) {
            String id = c.routeId();
            if (route(effective, id) == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("route " + id));
            }
            Map<String, RuntimeState.RouteUpsert> upserts = new HashMap<>(s.routeUpserts());
            upserts.remove(id);
            Map<String, RuntimeState.RouteDelete> deletes = new HashMap<>(s.routeDeletes());
            if (route(v.file(), id) != null) {
                deletes.put(id, new RuntimeState.RouteDelete(info(context, now, null)));
            }
            Map<String, RuntimeState.LimitOverride> limits = new HashMap<>(s.limitOverrides());
            limits.remove(id);
            return Plan.to(with(s, upserts, deletes, limits, null, null), null, warnings, false);
        } else if (change instanceof Change.ExtendOverride c) {
            return extend(s, c, context, now);
        }
        throw new IllegalStateException("unknown change " + change);
    }

    private Plan breakerOverride(RuntimeState s, GatewayConfig effective, String service, RuntimeState.BreakerMode mode,
                                 @Nullable Duration ttl, ChangeContext context, Instant now) {
        if (effective.service(service) == null) {
            return Plan.refuse(new ChangeOutcome.NotFound("service " + service));
        }
        Instant expiresAt = ttl == null ? null : now.plus(ttl);
        Map<String, RuntimeState.BreakerOverride> breakers = new HashMap<>(s.breakerOverrides());
        List<String> warnings = new ArrayList<>();
        RuntimeState.BreakerOverride previous = breakers.put(service,
                new RuntimeState.BreakerOverride(mode, info(context, now, expiresAt)));
        if (previous != null) {
            warnings.add("replaces the " + previous.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " override set by " + previous.change().setBy());
        }
        return Plan.to(with(s, null, null, null, breakers, null), expiresAt, warnings, false);
    }

    private static Plan extend(RuntimeState s, Change.ExtendOverride c, ChangeContext context, Instant now) {
        Instant expiresAt = now.plus(c.ttl());
        if (c.override() instanceof Change.OverrideRef.Breaker ref) {
            RuntimeState.BreakerOverride current = s.breakerOverrides().get(ref.service());
            if (current == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("breaker override of " + ref.service()));
            }
            if (current.change().expiresAt() == null) {
                return Plan.refuse(new ChangeOutcome.Invalid(List.of(new Violation("override", "has no time-to-live to extend"))));
            }
            Map<String, RuntimeState.BreakerOverride> breakers = new HashMap<>(s.breakerOverrides());
            breakers.put(ref.service(), new RuntimeState.BreakerOverride(current.mode(), extended(current.change(), context, expiresAt)));
            return Plan.to(with(s, null, null, null, breakers, null), expiresAt, List.of(), false);
        } else if (c.override() instanceof Change.OverrideRef.DrainOf ref) {
            String key = RuntimeState.Drain.key(ref.service(), ref.instanceId());
            RuntimeState.Drain current = s.drains().get(key);
            if (current == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("drain of instance " + key));
            }
            if (current.change().expiresAt() == null) {
                return Plan.refuse(new ChangeOutcome.Invalid(List.of(new Violation("override", "has no time-to-live to extend"))));
            }
            Map<String, RuntimeState.Drain> drains = new HashMap<>(s.drains());
            drains.put(key, new RuntimeState.Drain(current.service(), current.instanceId(), current.belowFloor(),
                    extended(current.change(), context, expiresAt), current.consulMaintenance()));
            return Plan.to(with(s, null, null, null, null, drains), expiresAt, List.of(), false);
        } else if (c.override() instanceof Change.OverrideRef.Limit ref) {
            RuntimeState.LimitOverride current = s.limitOverrides().get(ref.routeId());
            if (current == null) {
                return Plan.refuse(new ChangeOutcome.NotFound("runtime rate limit of route " + ref.routeId()));
            }
            if (current.change().expiresAt() == null) {
                return Plan.refuse(new ChangeOutcome.Invalid(List.of(new Violation("override", "has no time-to-live to extend"))));
            }
            Map<String, RuntimeState.LimitOverride> limits = new HashMap<>(s.limitOverrides());
            limits.put(ref.routeId(), new RuntimeState.LimitOverride(current.limit(), extended(current.change(), context, expiresAt)));
            return Plan.to(with(s, null, null, limits, null, null), expiresAt, List.of(), false);
        }
        throw new IllegalStateException("unknown override " + c.override());
    }

    /** The original author and reason stay (the expiry message names them); the deadline moves. */
    private static dev.sluice.agent.admin.state.OverrideInfo extended(dev.sluice.agent.admin.state.OverrideInfo info,
                                                                     ChangeContext context, Instant expiresAt) {
        return new dev.sluice.agent.admin.state.OverrideInfo(info.setBy(), info.reason(), info.incidentId(), info.setAt(),
                expiresAt, info.auditEntryId());
    }

    private boolean isEjected(String service, String instanceId) {
        OutlierDetector detector = registry.outlier(service);
        if (detector == null) {
            return false;
        }
        long until = detector.ejectedUntilNanos(detector.instance(instanceId));
        return until != Long.MIN_VALUE && until - registry.ticker().nanos() > 0;
    }

    private static dev.sluice.agent.admin.state.OverrideInfo info(ChangeContext context, Instant now, @Nullable Instant expiresAt) {
        return new dev.sluice.agent.admin.state.OverrideInfo(context.principal(), context.reason(), context.incidentId(),
                now, expiresAt, null);
    }

    private static RuntimeState with(RuntimeState s,
                                     @Nullable Map<String, RuntimeState.RouteUpsert> upserts,
                                     @Nullable Map<String, RuntimeState.RouteDelete> deletes,
                                     @Nullable Map<String, RuntimeState.LimitOverride> limits,
                                     @Nullable Map<String, RuntimeState.BreakerOverride> breakers,
                                     @Nullable Map<String, RuntimeState.Drain> drains) {
        return new RuntimeState(s.formatVersion(), s.configVersion(),
                upserts == null ? s.routeUpserts() : upserts,
                deletes == null ? s.routeDeletes() : deletes,
                limits == null ? s.limitOverrides() : limits,
                breakers == null ? s.breakerOverrides() : breakers,
                drains == null ? s.drains() : drains);
    }

    private static RuntimeState withVersion(RuntimeState s, long version) {
        return new RuntimeState(s.formatVersion(), version, s.routeUpserts(), s.routeDeletes(), s.limitOverrides(),
                s.breakerOverrides(), s.drains());
    }

    private static Overlay.Result fitted(GatewayConfig file, RuntimeState state) {
        Overlay.Result overlay = Overlay.apply(file, state);
        List<Violation> cross = ConfigLoader.crossCheck(overlay.config());
        if (cross.isEmpty()) {
            return overlay;
        }
        // Runtime routes that clash with the file as it is now: the file wins, the runtime routes go.
        RuntimeState withoutRoutes = new RuntimeState(state.formatVersion(), state.configVersion(), Map.of(), Map.of(),
                state.limitOverrides(), state.breakerOverrides(), state.drains());
        Overlay.Result fallback = Overlay.apply(file, withoutRoutes);
        List<String> dropped = new ArrayList<>(fallback.dropped());
        for (String id : state.routeUpserts().keySet()) {
            dropped.add("route " + id + " set at runtime: clashes with the file (" + cross.get(0) + ")");
        }
        for (String id : state.routeDeletes().keySet()) {
            dropped.add("deletion of route " + id + ": dropped with the other runtime route changes");
        }
        return new Overlay.Result(fallback.config(), fallback.drained(), fallback.state(), dropped);
    }

    private void persist(RuntimeState state) {
        StateStore s = store;
        if (s == null) {
            return;
        }
        try {
            s.save(state);
        } catch (IOException e) {
            throw new StateNotSavedException("the runtime state could not be saved to " + s.file() + " (" + e.getMessage()
                    + "); nothing was changed", e);
        }
    }

    /** The runtime state could not be written; the change was not applied. */
    public static final class StateNotSavedException extends RuntimeException {
        StateNotSavedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ---- after a swap: breakers, events, expiry

    /** Makes every breaker's override match the runtime state; an explicit reset also restarts the window. */
    private void syncBreakers(View v, @Nullable Change change) {
        long nowNanos = registry.ticker().nanos();
        Instant now = clock.instant();
        for (ServiceConfig service : v.effective().services()) {
            CircuitBreaker breaker = registry.breaker(service.name());
            if (breaker == null) {
                continue;
            }
            RuntimeState.BreakerOverride desired = v.overlay().breakerOverrides().get(service.name());
            BreakerOverride actual = breaker.snapshot().override();
            boolean touched = change != null && change.target().equals("breaker:" + service.name());
            if (desired == null) {
                boolean reset = change instanceof Change.ResetBreaker r && r.service().equals(service.name());
                if (actual != BreakerOverride.NONE || reset) {
                    breaker.reset();
                }
                continue;
            }
            Instant expiresAt = desired.change().expiresAt();
            Long deadline = expiresAt == null ? null
                    : nowNanos + Math.max(0, Duration.between(now, expiresAt).toNanos());
            BreakerOverride wanted = desired.mode() == RuntimeState.BreakerMode.FORCED_OPEN
                    ? BreakerOverride.FORCED_OPEN : BreakerOverride.FORCED_CLOSED;
            if (actual != wanted || touched) {
                if (wanted == BreakerOverride.FORCED_OPEN) {
                    breaker.forceOpen(deadline);
                } else {
                    breaker.forceClose(deadline);
                }
            }
        }
    }

    private void publish(View before, View after, Change change, boolean expired) {
        AgentEvent.ChangeSource source = expired ? AgentEvent.ChangeSource.EXPIRY : AgentEvent.ChangeSource.ADMIN;
        List<String> routes = new ArrayList<>();
        List<String> services = new ArrayList<>();
        String route = change.routeName();
        if (route != null) {
            routes.add(route);
        }
        String service = change.serviceName();
        if (service != null) {
            services.add(service);
        }
        if (change instanceof Change.Drain c) {
            RuntimeState.Drain drain = after.overlay().drains().get(RuntimeState.Drain.key(c.service(), c.instanceId()));
            events.append(new AgentEvent.DrainChanged(c.service(), c.instanceId(), true, drain == null ? null : drain.change()));
        } else if (change instanceof Change.Undrain c) {
            events.append(new AgentEvent.DrainChanged(c.service(), c.instanceId(), false, null));
        }
        events.append(new AgentEvent.ConfigChanged(before.version(), after.version(), source, routes, services, null));
    }

    /** Schedules the next expiry at the earliest deadline in force (at once when already past). */
    private void rearm() {
        ScheduledFuture<?> previous = nextExpiry;
        if (previous != null) {
            previous.cancel(false);
        }
        Instant earliest = null;
        for (dev.sluice.agent.admin.state.OverrideInfo info : overrides(view.overlay()).values()) {
            Instant at = info.expiresAt();
            if (at != null && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        if (earliest == null || expiry.isShutdown()) {
            nextExpiry = null;
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), earliest).toMillis());
        nextExpiry = expiry.schedule(this::expireDue, delay, TimeUnit.MILLISECONDS);
    }

    /** Every override with its info, by the change that reverts it. */
    private static Map<Change, dev.sluice.agent.admin.state.OverrideInfo> overrides(RuntimeState s) {
        Map<Change, dev.sluice.agent.admin.state.OverrideInfo> all = new LinkedHashMap<>();
        s.breakerOverrides().forEach((service, o) -> all.put(new Change.ResetBreaker(service), o.change()));
        s.drains().forEach((key, d) -> all.put(new Change.Undrain(d.service(), d.instanceId()), d.change()));
        s.limitOverrides().forEach((route, l) -> all.put(new Change.ClearRateLimit(route, false), l.change()));
        return all;
    }

    private void expireDue() {
        try {
            synchronized (writer) {
                Instant now = clock.instant();
                for (Map.Entry<Change, dev.sluice.agent.admin.state.OverrideInfo> e : overrides(view.overlay()).entrySet()) {
                    dev.sluice.agent.admin.state.OverrideInfo info = e.getValue();
                    if (!info.isExpiredAt(now)) {
                        continue;
                    }
                    Duration ttl = Duration.between(info.setAt(), Objects.requireNonNull(info.expiresAt()));
                    String reason = "ttl of " + Durations.format(ttl) + " expired (set by " + info.setBy() + ": " + info.reason() + ")";
                    ChangeContext context = new ChangeContext(AGENT_PRINCIPAL, AGENT_ROLE, reason, info.incidentId(), 0, false);
                    RuntimeState.Drain drain = drainOf(view, e.getKey());
                    ChangeOutcome outcome = applyLocked(context, e.getKey(), true);
                    if (outcome instanceof ChangeOutcome.Applied applied) {
                        String kind;
                        String target;
                        if (e.getKey() instanceof Change.ResetBreaker r) {
                            kind = "breaker";
                            target = r.service();
                        } else if (e.getKey() instanceof Change.Undrain u) {
                            kind = "drain";
                            target = RuntimeState.Drain.key(u.service(), u.instanceId());
                            notifier.execute(() -> maintenance(context, u, drain));
                        } else {
                            kind = "rate-limit";
                            target = ((Change.ClearRateLimit) e.getKey()).routeId();
                        }
                        if (unannounced.size() == MAX_UNANNOUNCED) {
                            unannounced.pollFirst();
                        }
                        unannounced.addLast(new PendingExpiry(e.getKey(), applied,
                                new AgentEvent.OverrideExpired(kind, target, info, null)));
                        announceExpiries();
                        LOG.info("{} of {} reverted: {}", kind, target, reason);
                    } else {
                        LOG.warn("expiry of {} not applied: {}", e.getKey().target(), outcome);
                    }
                }
                rearm();
            }
        } catch (RuntimeException e) {
            LOG.error("expiring overrides failed; retrying in 1 s", e);
            nextExpiry = expiry.schedule(this::expireDue, 1, TimeUnit.SECONDS);
        }
    }

    private void logDropped(List<String> dropped) {
        for (String line : dropped) {
            LOG.warn("runtime change dropped, it no longer fits the config file: {}", line);
        }
    }

    // ---- reading

    @Override
    public GatewayState state() {
        View v = view;
        Instant now = clock.instant();
        long nowNanos = registry.ticker().nanos();
        List<GatewayState.RouteState> routes = new ArrayList<>();
        Map<String, List<String>> routesByService = new HashMap<>();
        for (RouteConfig route : v.effective().routes()) {
            RouteConfig fromFile = route(v.file(), route.id());
            RuntimeState.LimitOverride limit = v.overlay().limitOverrides().get(route.id());
            boolean differs = v.overlay().routeUpserts().containsKey(route.id()) || limit != null;
            routes.add(new GatewayState.RouteState(route, fromFile != null, differs,
                    fromFile == null ? null : toChange(fromFile.rateLimit()), toChange(route.rateLimit()),
                    limit == null ? null : toControl(limit.change())));
            routesByService.computeIfAbsent(route.service(), k -> new ArrayList<>()).add(route.id());
        }
        List<GatewayState.ServiceState> services = new ArrayList<>();
        for (ServiceConfig service : v.effective().services()) {
            CircuitBreaker breaker = registry.breaker(service.name());
            BreakerSnapshot snapshot = breaker == null ? null : breaker.snapshot();
            if (snapshot == null) {
                continue;
            }
            OutlierDetector outlier = registry.outlier(service.name());
            ServiceInstances found = this.instances.instances(service);
            List<InstanceStatus> statuses = new ArrayList<>(found.instances().size());
            List<@Nullable Instant> ejections = new ArrayList<>(found.instances().size());
            List<RuntimeState.@Nullable Drain> drains = new ArrayList<>(found.instances().size());
            for (ServiceInstance instance : found.instances()) {
                RuntimeState.Drain drain = v.overlay().drains().get(RuntimeState.Drain.key(service.name(), instance.id()));
                Instant ejectedUntil = null;
                if (outlier != null) {
                    long until = outlier.ejectedUntilNanos(outlier.instance(instance.id()));
                    if (until != Long.MIN_VALUE && until - nowNanos > 0) {
                        ejectedUntil = now.plusNanos(until - nowNanos);
                    }
                }
                statuses.add(InstanceStatus.of(instance, found.check(instance.id()),
                        drain == null ? null : new InstanceStatus.Drain(drain.change().setBy(), drain.change().reason()),
                        ejectedUntil == null ? null : new InstanceStatus.Ejection(ejectedUntil, service.outlier().consecutiveFailures())));
                ejections.add(ejectedUntil);
                drains.add(drain);
            }
            ServingSet serving = ServingSet.select(statuses, service.outlier().panicThresholdPercent());
            List<GatewayState.InstanceState> instances = new ArrayList<>(statuses.size());
            for (int i = 0; i < statuses.size(); i++) {
                InstanceStatus status = statuses.get(i);
                ServiceInstance instance = status.instance();
                RuntimeState.Drain drain = drains.get(i);
                boolean panicked = serving.panic() && status.eligible() && !status.serving();
                String reason = status.reason() == null ? "" : status.reason();
                if (panicked) {
                    reason = "gets traffic anyway, the service is in panic (" + serving.healthy() + " of "
                            + serving.eligible() + " healthy): " + reason;
                }
                GatewayState.CheckHealth check = found.checks() == null ? GatewayState.CheckHealth.DISABLED
                        : GatewayState.CheckHealth.valueOf(status.check().name());
                instances.add(new GatewayState.InstanceState(instance.id(), instance.host(), instance.port(),
                        instance.weight(), instance.zone() == null ? "" : instance.zone(),
                        GatewayState.RegistryHealth.valueOf(instance.health().name()), check, ejections.get(i),
                        drain == null ? null : toControl(drain.change()), status.serving() || panicked, reason));
            }
            RuntimeState.BreakerOverride override = v.overlay().breakerOverrides().get(service.name());
            services.add(new GatewayState.ServiceState(service, snapshot, override == null ? null : toControl(override.change()),
                    instances, found.stale(), service.minHealthyPercent(),
                    routesByService.getOrDefault(service.name(), List.of()), found.status().describe()));
        }
        return new GatewayState(v.version(), now, routes, services);
    }

    /**
     * Whether the instance serves now with every input counted (registry, check, drain, ejection,
     * panic), as a phrase for events: {@code overall: serving}, {@code overall: not serving (<why>)},
     * {@code overall: gets traffic anyway, the service is in panic (…)} or {@code overall: not listed}.
     * Builds the whole state view: for rare events, never the request path.
     */
    public String overallState(String service, String instanceId) {
        for (GatewayState.ServiceState s : state().services()) {
            if (!s.config().name().equals(service)) {
                continue;
            }
            for (GatewayState.InstanceState instance : s.instances()) {
                if (instance.id().equals(instanceId)) {
                    if (!instance.serving()) {
                        return "overall: not serving (" + instance.notServingReason() + ")";
                    }
                    return instance.notServingReason().isEmpty() ? "overall: serving" : "overall: " + instance.notServingReason();
                }
            }
        }
        return "overall: not listed";
    }

    private static OverrideInfo toControl(dev.sluice.agent.admin.state.OverrideInfo info) {
        return new OverrideInfo(info.setBy(), info.reason(), info.incidentId(), info.setAt(), info.expiresAt());
    }

    static Change.@Nullable RateLimit toChange(@Nullable RateLimitConfig limit) {
        return limit == null ? null : new Change.RateLimit(limit.requestsPerSecond(), limit.burst(),
                Change.RateLimit.Key.valueOf(limit.key().name()), limit.keyName());
    }

    private static JsonNode limitJson(Change.RateLimit limit) {
        RateLimitConfig.Key key = RateLimitConfig.Key.valueOf(limit.key().name());
        return ConfigWriter.rateLimit(new RateLimitConfig(limit.requestsPerSecond(), limit.burst(), key, limit.keyName()));
    }

    private static @Nullable RouteConfig route(GatewayConfig config, String id) {
        for (RouteConfig route : config.routes()) {
            if (route.id().equals(id)) {
                return route;
            }
        }
        return null;
    }

    /** The change's target as JSON in this view; "" where it does not exist. */
    private String targetJson(View v, Change change) {
        String target = change.target();
        ObjectNode node = JSON.createObjectNode();
        if (target.startsWith("breaker:")) {
            String service = target.substring("breaker:".length());
            if (v.effective().service(service) == null) {
                return "";
            }
            node.put("service", service);
            RuntimeState.BreakerOverride override = v.overlay().breakerOverrides().get(service);
            node.put("override", override == null ? "NONE" : override.mode().name());
            if (override != null) {
                putInfo(node, override.change());
            }
        } else if (target.startsWith("instance:")) {
            String key = target.substring("instance:".length());
            int slash = key.indexOf('/');
            String service = key.substring(0, slash);
            String instance = key.substring(slash + 1);
            ServiceConfig config = v.effective().service(service);
            if (config == null || instances.instances(config).instance(instance) == null) {
                return "";
            }
            node.put("service", service);
            node.put("instance", instance);
            RuntimeState.Drain drain = v.overlay().drains().get(key);
            node.put("drained", drain != null);
            if (drain != null) {
                node.put("belowFloor", drain.belowFloor());
                putInfo(node, drain.change());
            }
        } else {
            String id = target.substring("route:".length());
            RouteConfig route = route(v.effective(), id);
            if (route == null) {
                return "";
            }
            node = ConfigWriter.route(route);
            if (!route.filters().isEmpty()) {
                // The before/after of a change reach viewers (ValidateChange, the audit): never a secret.
                node.set("filters", JSON.valueToTree(FilterSecrets.redact(route.filters())));
            }
            RuntimeState.LimitOverride limit = v.overlay().limitOverrides().get(id);
            if (limit != null) {
                ObjectNode info = node.putObject("limitOverride");
                putInfo(info, limit.change());
            }
        }
        return node.toString();
    }

    private static void putInfo(ObjectNode node, dev.sluice.agent.admin.state.OverrideInfo info) {
        node.put("setBy", info.setBy());
        node.put("reason", info.reason());
        if (info.incidentId() != null) {
            node.put("incidentId", info.incidentId());
        }
        node.put("setAt", info.setAt().toString());
        if (info.expiresAt() != null) {
            node.put("expiresAt", info.expiresAt().toString());
        }
    }

    private static List<String> routeIds(GatewayConfig config) {
        List<String> ids = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            ids.add(route.id());
        }
        return ids;
    }

    private static List<String> serviceNames(GatewayConfig config) {
        List<String> names = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            names.add(service.name());
        }
        return names;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the expiry scheduler and the listener thread; overrides stay persisted and re-arm at the next start. */
    @Override
    public void close() {
        expiry.shutdownNow();
        notifier.shutdown();
        try {
            notifier.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
