package dev.sluice.console.demo;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.BalancerKind;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerSettings;
import dev.sluice.admin.v1.BreakerState;
import dev.sluice.admin.v1.BreakerTransition;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ChangeSource;
import dev.sluice.admin.v1.CheckHealth;
import dev.sluice.admin.v1.ConfigChanged;
import dev.sluice.admin.v1.DrainChanged;
import dev.sluice.admin.v1.ErrorCounts;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventsGap;
import dev.sluice.admin.v1.HealthChanged;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.LatencyHistogram;
import dev.sluice.admin.v1.Listener;
import dev.sluice.admin.v1.ListenerProtocol;
import dev.sluice.admin.v1.Origin;
import dev.sluice.admin.v1.Override;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.RateLimitStatus;
import dev.sluice.admin.v1.RegistryHealth;
import dev.sluice.admin.v1.RegistryKind;
import dev.sluice.admin.v1.Role;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.StatusClassCounts;
import dev.sluice.admin.v1.TelemetryFrame;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulated gateway's state and traffic: routes, services with instances, a breaker per service,
 * synthetic requests with log-normal latencies, config versions, events and audit entries. Every
 * method takes the simulator's lock; this is demo code, not a data path.
 */
final class SimulatedGateway {
  static final String AGENT_ID = "demo-gw-1";
  static final String CLUSTER = "demo";
  private static final int MAX_EVENTS = 2_000;
  /** Bucket bounds in µs: 100 µs · 2^(k/4) up to about 26 s, four buckets per doubling. */
  static final long[] BOUNDS = logBounds();

  private final Clock clock;
  private final SplittableRandom random = new SplittableRandom(7);
  private final Instant startedAt;
  private final Map<String, SimService> services = new LinkedHashMap<>();
  private final List<SimRoute> routes = new ArrayList<>();
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private final List<ServerCallStreamObserver<Event>> eventWatchers = new ArrayList<>();
  private long version = 1;
  private long nextSequence = 1;
  private int nextAudit = 1;

  SimulatedGateway(Clock clock) {
    this.clock = clock;
    this.startedAt = clock.instant();
    Instant now = startedAt;
    addService("users", 12_000, 0.45, 250_000, now, "users-1", "users-2", "users-3");
    addService("orders", 35_000, 0.55, 400_000, now, "orders-1", "orders-2", "orders-3", "orders-4");
    addService("payments", 120_000, 0.40, 900_000, now, "payments-1", "payments-2");
    addService("static-assets", 1_800, 0.70, 100_000, now, "static-1", "static-2");
    services.get("orders").instances.get(3).speed = 1.5;

    addRoute("users-list", "/api/v1/users", "users", 40, null, "GET");
    addRoute("users-get", "/api/v1/users/:id", "users", 120, null, "GET");
    addRoute("users-update", "/api/v1/users/:id", "users", 8, null, "PUT", "PATCH");
    addRoute("orders-list", "/api/v1/orders", "orders", 25, null, "GET");
    addRoute("orders-create", "/api/v1/orders", "orders", 55, limit(40, 20), "POST");
    addRoute("orders-get", "/api/v1/orders/:id", "orders", 60, null, "GET");
    addRoute("orders-items", "/api/v1/orders/:id/items", "orders", 20, null, "GET");
    addRoute("payments-charge", "/api/v1/payments/charge", "payments", 15, limit(30, 10), "POST");
    addRoute("static", "/static/*path", "static-assets", 200, null, "GET");

    event(EventKind.EVENT_KIND_CONFIG_CHANGED, "config v1 loaded at startup (9 routes, 4 services)",
        e -> e.setConfigChanged(ConfigChanged.newBuilder().setVersion(1)
            .setSource(ChangeSource.CHANGE_SOURCE_STARTUP)));
  }

  // ---- identity and snapshots ----

  synchronized AgentInfo agentInfo(String adminAddress) {
    Instant now = clock.instant();
    return AgentInfo.newBuilder()
        .setAgentId(AGENT_ID)
        .setCluster(CLUSTER)
        .setHost("localhost")
        .setVersion(GatewaySimulator.VERSION)
        .setStartedAt(ts(startedAt))
        .setUptime(duration(Duration.between(startedAt, now)))
        .addListeners(Listener.newBuilder().setName("admin")
            .setProtocol(ListenerProtocol.LISTENER_PROTOCOL_ADMIN_GRPC).setAddress(adminAddress))
        .setConfigVersion(version)
        .setConfigPath("(simulated)")
        .addFeatures("telemetry")
        .build();
  }

  synchronized Snapshot snapshot() {
    Snapshot.Builder b = Snapshot.newBuilder().setConfigVersion(version).setTakenAt(ts(clock.instant()));
    for (SimRoute r : routes) {
      b.addRoutes(r.toProto());
    }
    for (SimService s : services.values()) {
      b.addServices(s.toProto());
      b.addBreakers(breaker(s));
    }
    return b.build();
  }

  synchronized Breaker breaker(String service) {
    return breaker(requireService(service));
  }

  synchronized List<String> serviceNames() {
    return List.copyOf(services.keySet());
  }

  synchronized boolean isFailing(String service) {
    return requireService(service).failing;
  }

  synchronized void setFailing(String service, boolean failing) {
    requireService(service).failing = failing;
  }

  // ---- traffic ----

  /** Generates {@code step} worth of requests on every route and moves breakers and health along. */
  synchronized void tick(Duration step) {
    Instant now = clock.instant();
    double seconds = step.toNanos() / 1e9;
    double t = Duration.between(startedAt, now).toMillis() / 1000.0;
    for (SimService s : services.values()) {
      SimulatedBreaker.Transition moved = s.breaker.tick(now);
      if (moved != null) {
        breakerEvent(s, moved);
      }
    }
    flapHealth(t);
    for (SimRoute r : routes) {
      r.tokens = r.limit == null ? 0
          : Math.min(r.limit.getBurst(), r.tokens + r.limit.getRequestsPerSecond() * seconds);
      double wave = 1 + 0.3 * Math.sin(2 * Math.PI * t / 60 + r.phase);
      int n = poisson(r.baseRps * wave * seconds);
      for (int i = 0; i < n; i++) {
        serve(r, now);
      }
      r.inFlight = Math.round(r.baseRps * wave * r.service.medianMicros / 1e6 * 1.3);
    }
  }

  private void serve(SimRoute r, Instant now) {
    r.requests++;
    if (r.limit != null) {
      if (r.tokens < 1) {
        r.rateLimited++;
        r.statuses[3]++;
        r.record(30 + random.nextInt(40));
        return;
      }
      r.tokens -= 1;
    }
    SimService s = r.service;
    if (!s.breaker.permits()) {
      gatewayError(r, 4);
      return;
    }
    SimInstance instance = s.pick();
    if (instance == null) {
      gatewayError(r, 5);
      return;
    }
    long micros = lognormal(s.medianMicros * instance.speed, s.sigma);
    if (random.nextDouble() < 0.01) {
      micros *= 4;
    }
    double failureChance = s.failing ? 0.7 : 0.004;
    boolean failed = random.nextDouble() < failureChance;
    instance.requests++;
    if (failed) {
      instance.failures++;
      // Background failures are quick 502s; timeouts come with an incident (a failing service).
      boolean timeout = s.failing && random.nextBoolean();
      micros = timeout ? 1_000_000 + random.nextInt(200_000) : 300 + random.nextInt(2_000);
      r.errors[timeout ? 1 : 0]++;
      r.statuses[4]++;
    } else if (r.id.endsWith("-get") && random.nextDouble() < 0.02) {
      r.statuses[3]++;
    } else {
      r.statuses[1]++;
    }
    r.record(micros);
    SimulatedBreaker.Transition moved = s.breaker.record(failed, micros > s.slowMicros, now);
    if (moved != null) {
      breakerEvent(s, moved);
    }
  }

  private void gatewayError(SimRoute r, int errorIndex) {
    r.errors[errorIndex]++;
    r.statuses[4]++;
    r.record(80 + random.nextInt(60));
  }

  /** orders-4 fails its health check for 15 s of every 90 s, so the demo shows health flips. */
  private void flapHealth(double t) {
    SimInstance flappy = services.get("orders").instances.get(3);
    boolean healthy = (t % 90) < 60;
    if (healthy != flappy.checkHealthy) {
      flappy.checkHealthy = healthy;
      String reason = healthy ? "health check passing" : "health check failing: 503";
      event(EventKind.EVENT_KIND_HEALTH_CHANGED,
          "orders/" + flappy.id + (healthy ? " is serving again" : " stopped serving: " + reason),
          e -> e.setHealthChanged(HealthChanged.newBuilder().setService("orders")
              .setInstanceId(flappy.id).setServing(flappy.serving()).setReason(reason)));
    }
  }

  // ---- telemetry ----

  /** Cumulative counters a watcher saw last, so each frame carries only its own interval. */
  static final class WatcherCursor {
    private final Map<String, long[]> routes = new HashMap<>();
    private final Map<String, long[]> instances = new HashMap<>();
    private Instant at;
    private long sequence;

    WatcherCursor(Instant at) {
      this.at = at;
    }
  }

  synchronized WatcherCursor newCursor() {
    WatcherCursor cursor = new WatcherCursor(clock.instant());
    for (SimRoute r : routes) {
      cursor.routes.put(r.id, r.counters());
    }
    for (SimService s : services.values()) {
      for (SimInstance i : s.instances) {
        cursor.instances.put(i.id, new long[] {i.requests, i.failures});
      }
    }
    return cursor;
  }

  synchronized TelemetryFrame frame(WatcherCursor cursor, boolean histograms) {
    Instant now = clock.instant();
    TelemetryFrame.Builder f = TelemetryFrame.newBuilder()
        .setSequence(++cursor.sequence)
        .setTime(ts(now))
        .setInterval(duration(Duration.between(cursor.at, now)))
        .setConfigVersion(version);
    for (long bound : BOUNDS) {
      f.addLatencyBoundsMicros(bound);
    }
    cursor.at = now;
    for (SimRoute r : routes) {
      long[] current = r.counters();
      long[] previous = cursor.routes.getOrDefault(r.id, new long[current.length]);
      cursor.routes.put(r.id, current);
      long[] d = new long[current.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = current[i] - previous[i];
      }
      long[] hist = java.util.Arrays.copyOfRange(d, SimRoute.HIST, d.length);
      var h = dev.sluice.console.telemetry.LatencyHistogram.of(BOUNDS, hist);
      RouteTelemetry.Builder rt = RouteTelemetry.newBuilder()
          .setRouteId(r.id)
          .setRequests(d[0])
          .setRateLimited(d[1])
          .setInFlight(r.inFlight)
          .setStatuses(StatusClassCounts.newBuilder().setInformational(d[2]).setSuccess(d[3])
              .setRedirection(d[4]).setClientError(d[5]).setServerError(d[6]))
          .setErrors(ErrorCounts.newBuilder().setUpstreamConnectFailures(d[7]).setUpstreamTimeouts(d[8])
              .setUpstreamProtocolErrors(d[9]).setBreakerRejections(d[10]).setNoInstance(d[11])
              .setRejected(d[12]))
          .setLatency(Percentiles.newBuilder()
              .setP50Micros(Math.max(0, h.percentileMicros(0.5)))
              .setP90Micros(Math.max(0, h.percentileMicros(0.9)))
              .setP99Micros(Math.max(0, h.percentileMicros(0.99)))
              .setP999Micros(Math.max(0, h.percentileMicros(0.999)))
              .setMaxMicros(Math.max(0, h.percentileMicros(1.0))));
      if (histograms) {
        LatencyHistogram.Builder hb = LatencyHistogram.newBuilder();
        for (long c : hist) {
          hb.addCounts(c);
        }
        rt.setHistogram(hb);
      }
      f.addRoutes(rt);
    }
    for (SimService s : services.values()) {
      f.addBreakers(breaker(s));
      for (SimInstance i : s.instances) {
        long[] previous = cursor.instances.getOrDefault(i.id, new long[2]);
        cursor.instances.put(i.id, new long[] {i.requests, i.failures});
        f.addInstances(InstanceTelemetry.newBuilder()
            .setService(s.name).setInstanceId(i.id).setServing(i.serving())
            .setRegistryHealth(RegistryHealth.REGISTRY_HEALTH_PASSING)
            .setCheckHealth(i.checkHealth()).setDrained(i.drain != null)
            .setRequests(i.requests - previous[0]).setFailures(i.failures - previous[1]));
      }
    }
    return f.build();
  }

  // ---- events ----

  /** Sends held events from {@code fromSequence} on, then every new one, until the call ends. */
  synchronized void watchEvents(long fromSequence, ServerCallStreamObserver<Event> watcher) {
    long oldest = events.isEmpty() ? nextSequence : events.peekFirst().getSequence();
    if (fromSequence > 0 && fromSequence < oldest) {
      watcher.onNext(Event.newBuilder().setSequence(0).setTime(ts(clock.instant()))
          .setKind(EventKind.EVENT_KIND_GAP)
          .setSummary("events " + fromSequence + "–" + (oldest - 1) + " are no longer held")
          .setGap(EventsGap.newBuilder().setRequestedSequence(fromSequence)
              .setOldestAvailableSequence(oldest))
          .build());
    }
    if (fromSequence > 0) {
      for (Event e : events) {
        if (e.getSequence() >= fromSequence) {
          watcher.onNext(e);
        }
      }
    }
    eventWatchers.add(watcher);
  }

  synchronized void unwatchEvents(ServerCallStreamObserver<Event> watcher) {
    eventWatchers.remove(watcher);
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized List<AuditEntry> auditEntries() {
    List<AuditEntry> newestFirst = new ArrayList<>(audit);
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  private void event(EventKind kind, String summary, java.util.function.Consumer<Event.Builder> detail) {
    Event.Builder b = Event.newBuilder().setSequence(nextSequence++).setTime(ts(clock.instant()))
        .setKind(kind).setSummary(summary);
    detail.accept(b);
    Event e = b.build();
    events.addLast(e);
    if (events.size() > MAX_EVENTS) {
      events.removeFirst();
    }
    for (ServerCallStreamObserver<Event> w : List.copyOf(eventWatchers)) {
      if (w.isCancelled()) {
        eventWatchers.remove(w);
      } else {
        w.onNext(e);
      }
    }
  }

  private void breakerEvent(SimService s, SimulatedBreaker.Transition t) {
    event(EventKind.EVENT_KIND_BREAKER_TRANSITION,
        "breaker " + s.name + " " + word(t.to()) + ": " + t.cause(),
        e -> e.setBreakerTransition(BreakerTransition.newBuilder().setService(s.name)
            .setFrom(t.from()).setTo(t.to()).setOverride(s.breaker.override).setCause(t.cause())));
  }

  // ---- control ----

  /** A change the control service asked for; throws a gRPC status when refused (and audits it). */
  interface Mutation {
    /** Applies the change and returns a note, or throws StatusRuntimeException to refuse. */
    String apply(Instant now, Override who);
  }

  synchronized ChangeResult change(
      String rpc, String target, ChangeContext ctx, Mutation mutation) {
    Instant now = clock.instant();
    SimulatedCaller caller = SimulatedCaller.current();
    AuditEntry.Builder entry = AuditEntry.newBuilder()
        .setId(String.format(Locale.ROOT, "a-%06d", nextAudit++))
        .setTime(ts(now)).setPrincipal(caller.principal()).setRole(caller.role()).setRpc(rpc)
        .setTarget(target).setReason(ctx.getReason()).setIncidentId(ctx.getIncidentId())
        .setExpectedVersion(ctx.getExpectedVersion()).setBeforeJson(targetJson(target));
    Status refusal = null;
    AuditOutcome outcome = AuditOutcome.AUDIT_OUTCOME_APPLIED;
    if (caller.role() != Role.ROLE_OPERATOR) {
      refusal = Status.PERMISSION_DENIED.withDescription(
          caller.principal() + " has the viewer role; " + rpc + " needs operator");
      outcome = AuditOutcome.AUDIT_OUTCOME_DENIED;
    } else if (ctx.getReason().isBlank()) {
      refusal = Status.INVALID_ARGUMENT.withDescription("context.reason: a reason is required");
      outcome = AuditOutcome.AUDIT_OUTCOME_INVALID;
    } else if (ctx.getExpectedVersion() != 0 && ctx.getExpectedVersion() != version) {
      refusal = Status.FAILED_PRECONDITION.withDescription(
          "config version is " + version + ", the change was based on " + ctx.getExpectedVersion());
      outcome = AuditOutcome.AUDIT_OUTCOME_CONFLICT;
    }
    String note = "";
    if (refusal == null) {
      try {
        note = mutation.apply(now, Override.newBuilder().setSetBy(caller.principal())
            .setReason(ctx.getReason()).setIncidentId(ctx.getIncidentId()).setSetAt(ts(now))
            .setAuditEntryId(entry.getId()).build());
      } catch (io.grpc.StatusRuntimeException e) {
        refusal = e.getStatus();
        outcome = AuditOutcome.AUDIT_OUTCOME_INVALID;
      }
    }
    if (refusal == null) {
      version++;
      entry.setResultingVersion(version).setAfterJson(targetJson(target)).setMessage(note);
    } else {
      entry.setMessage(refusal.getDescription() == null ? "" : refusal.getDescription());
    }
    AuditEntry done = entry.setOutcome(outcome).build();
    audit.add(done);
    event(EventKind.EVENT_KIND_AUDIT,
        caller.principal() + " " + rpc + " " + target + (refusal == null ? "" : " (refused)") + ": "
            + ctx.getReason(),
        e -> e.setAudit(done));
    if (refusal != null) {
      throw refusal.asRuntimeException();
    }
    long v = version;
    event(EventKind.EVENT_KIND_CONFIG_CHANGED, "config v" + v + " by " + caller.principal() + ": "
        + rpc
        + " " + target,
        e -> e.setConfigChanged(ConfigChanged.newBuilder().setPreviousVersion(v - 1).setVersion(v)
            .setSource(ChangeSource.CHANGE_SOURCE_ADMIN).setAuditEntryId(done.getId())));
    ChangeResult.Builder result = ChangeResult.newBuilder().setVersion(v).setAuditEntryId(done.getId());
    if (!note.isEmpty()) {
      result.addWarnings(note);
    }
    return result.build();
  }

  Mutation setBreakerOverride(String service, BreakerOverride override) {
    return (now, who) -> {
      SimService s = requireService(service);
      String note = s.breaker.override == override ? "breaker was already " + word(override) : "";
      s.breaker.override = override;
      s.breaker.overrideInfo = who;
      event(EventKind.EVENT_KIND_BREAKER_TRANSITION,
          "breaker " + service + " " + word(override) + " by " + who.getSetBy() + ": "
              + who.getReason(),
          e -> e.setBreakerTransition(BreakerTransition.newBuilder().setService(service)
              .setFrom(s.breaker.state()).setTo(s.breaker.state()).setOverride(override)
              .setCause(word(override) + " by " + who.getSetBy())));
      return note;
    };
  }

  Mutation resetBreaker(String service) {
    return (now, who) -> {
      SimService s = requireService(service);
      SimulatedBreaker.Transition moved = s.breaker.reset(now);
      event(EventKind.EVENT_KIND_BREAKER_TRANSITION,
          "breaker " + service + " reset by " + who.getSetBy() + ": " + who.getReason(),
          e -> e.setBreakerTransition(BreakerTransition.newBuilder().setService(service)
              .setFrom(moved == null ? s.breaker.state() : moved.from())
              .setTo(BreakerState.BREAKER_STATE_CLOSED)
              .setOverride(BreakerOverride.BREAKER_OVERRIDE_NONE).setCause("reset by operator")));
      return "";
    };
  }

  Mutation setDrained(String service, String instanceId, boolean drained) {
    return (now, who) -> {
      SimInstance i = requireInstance(service, instanceId);
      String note = (i.drain != null) == drained
          ? instanceId + " was already " + (drained ? "drained" : "in rotation") : "";
      i.drain = drained ? who : null;
      event(EventKind.EVENT_KIND_DRAIN_CHANGED,
          service + "/" + instanceId + (drained ? " drained" : " back in rotation") + " by "
              + who.getSetBy() + ": " + who.getReason(),
          e -> {
            DrainChanged.Builder d = DrainChanged.newBuilder().setService(service)
                .setInstanceId(instanceId).setDrained(drained);
            if (drained) {
              d.setDrain(who);
            }
            e.setDrainChanged(d);
          });
      return note;
    };
  }

  // ---- model ----

  private void addService(String name, long medianMicros, double sigma, long slowMicros,
      Instant now, String... instanceIds) {
    SimService s = new SimService(name, medianMicros, sigma, slowMicros, new SimulatedBreaker(now));
    int port = 8080;
    int n = 0;
    for (String id : instanceIds) {
      s.instances.add(new SimInstance(id, s, "10.0." + (services.size() + 1) + "." + (++n), port,
          n % 2 == 0 ? "eu-west-1b" : "eu-west-1a"));
    }
    services.put(name, s);
  }

  private void addRoute(String id, String path, String service, double baseRps,
      @Nullable RateLimit limit, String... methods) {
    routes.add(new SimRoute(id, path, List.of(methods), requireService(service), baseRps, limit,
        routes.size() * 0.7));
  }

  private static RateLimit limit(double rps, int burst) {
    return RateLimit.newBuilder().setRequestsPerSecond(rps).setBurst(burst)
        .setKey(RateLimitKey.RATE_LIMIT_KEY_ROUTE).build();
  }

  private SimService requireService(String name) {
    SimService s = services.get(name);
    if (s == null) {
      throw Status.NOT_FOUND.withDescription("service: no service named \"" + name + "\"")
          .asRuntimeException();
    }
    return s;
  }

  private SimInstance requireInstance(String service, String instanceId) {
    for (SimInstance i : requireService(service).instances) {
      if (i.id.equals(instanceId)) {
        return i;
      }
    }
    throw Status.NOT_FOUND.withDescription(
        "instance_id: service " + service + " has no instance \"" + instanceId + "\"")
        .asRuntimeException();
  }

  private Breaker breaker(SimService s) {
    SimulatedBreaker b = s.breaker;
    Breaker.Builder out = Breaker.newBuilder()
        .setService(s.name).setComputedState(b.state()).setOverride(b.override)
        .setFailureRate(b.failureRate()).setSlowCallRate(b.slowCallRate())
        .setCallsInWindow(b.callsInWindow()).setFailedCallsInWindow(b.failedInWindow())
        .setSlowCallsInWindow(b.slowInWindow()).setNotPermittedCalls(b.notPermitted())
        .setStateSince(ts(b.since()));
    if (b.overrideInfo != null) {
      out.setOverrideInfo(b.overrideInfo);
    }
    for (SimRoute r : routes) {
      if (r.service == s) {
        out.addRouteIds(r.id);
      }
    }
    for (SimInstance i : s.instances) {
      out.addInstances(dev.sluice.admin.v1.InstanceBreakerStats.newBuilder()
          .setInstanceId(i.id).setCalls(i.requests).setFailedCalls(i.failures));
    }
    return out.build();
  }

  private String targetJson(String target) {
    int colon = target.indexOf(':');
    String kind = target.substring(0, colon);
    String name = target.substring(colon + 1);
    if (kind.equals("breaker") && services.containsKey(name)) {
      return "{\"service\":\"" + name + "\",\"override\":\"" + services.get(name).breaker.override
          + "\"}";
    }
    if (kind.equals("instance")) {
      int slash = name.indexOf('/');
      SimService s = services.get(name.substring(0, Math.max(0, slash)));
      if (s != null) {
        for (SimInstance i : s.instances) {
          if (i.id.equals(name.substring(slash + 1))) {
            return "{\"instance\":\"" + name + "\",\"drained\":" + (i.drain != null) + "}";
          }
        }
      }
    }
    return "";
  }

  private int poisson(double mean) {
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  private long lognormal(double medianMicros, double sigma) {
    return Math.max(50, Math.round(medianMicros * Math.exp(sigma * gaussian())));
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static String word(BreakerState state) {
    return switch (state) {
      case BREAKER_STATE_OPEN -> "opened";
      case BREAKER_STATE_HALF_OPEN -> "half-open";
      default -> "closed";
    };
  }

  private static String word(BreakerOverride override) {
    return switch (override) {
      case BREAKER_OVERRIDE_FORCED_OPEN -> "tripped (forced open)";
      case BREAKER_OVERRIDE_FORCED_CLOSED -> "forced closed";
      default -> "without override";
    };
  }

  static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds())
        .setNanos(d.getNano()).build();
  }

  private static long[] logBounds() {
    long[] bounds = new long[73];
    for (int k = 0; k < bounds.length; k++) {
      bounds[k] = Math.round(100 * Math.pow(2, k / 4.0));
    }
    return bounds;
  }

  /** A route with its cumulative counters. */
  private static final class SimRoute {
    /** Offset of the histogram counts in {@link #counters()}. */
    static final int HIST = 13;
    final String id;
    final String path;
    final List<String> methods;
    final SimService service;
    final double baseRps;
    final @Nullable RateLimit limit;
    final double phase;
    double tokens;
    long requests;
    long rateLimited;
    long inFlight;
    /** 1xx, 2xx, 3xx, 4xx, 5xx. */
    final long[] statuses = new long[5];
    /** connect, timeout, protocol, breaker open, no instance, rejected. */
    final long[] errors = new long[6];
    final long[] histogram = new long[BOUNDS.length + 1];

    SimRoute(String id, String path, List<String> methods, SimService service, double baseRps,
        @Nullable RateLimit limit, double phase) {
      this.id = id;
      this.path = path;
      this.methods = methods;
      this.service = service;
      this.baseRps = baseRps;
      this.limit = limit;
      this.phase = phase;
      this.tokens = limit == null ? 0 : limit.getBurst();
    }

    void record(long micros) {
      int i = java.util.Arrays.binarySearch(BOUNDS, micros);
      histogram[i >= 0 ? i : -i - 1]++;
    }

    long[] counters() {
      long[] c = new long[HIST + histogram.length];
      c[0] = requests;
      c[1] = rateLimited;
      System.arraycopy(statuses, 0, c, 2, 5);
      System.arraycopy(errors, 0, c, 7, 6);
      System.arraycopy(histogram, 0, c, HIST, histogram.length);
      return c;
    }

    Route toProto() {
      RateLimitStatus.Builder rl = RateLimitStatus.newBuilder();
      if (limit != null) {
        rl.setConfigured(limit).setEffective(limit);
      }
      Route.Builder route = Route.newBuilder()
          .setId(id)
          .setMatch(RouteMatch.newBuilder().setPath(path).addAllMethods(methods))
          .setService(service.name)
          .setStripPrefix(path.startsWith("/api") ? "/api" : "")
          .setResponseTimeout(duration(Duration.ofSeconds(2)))
          .setRateLimit(rl)
          .setOrigin(Origin.ORIGIN_FILE)
          .addFilters(dev.sluice.admin.v1.FilterSpec.newBuilder().setName("request-id"))
          .addFilters(dev.sluice.admin.v1.FilterSpec.newBuilder().setName("access-log"));
      if (service.name.equals("payments") || methods.contains("PUT")) {
        route.addFilters(dev.sluice.admin.v1.FilterSpec.newBuilder().setName("jwt-auth"));
      }
      if (limit != null) {
        route.addFilters(dev.sluice.admin.v1.FilterSpec.newBuilder().setName("rate-limit"));
      }
      return route.build();
    }
  }

  private static final class SimService {
    final String name;
    final long medianMicros;
    final double sigma;
    final long slowMicros;
    final SimulatedBreaker breaker;
    final List<SimInstance> instances = new ArrayList<>();
    boolean failing;
    int roundRobin;

    SimService(String name, long medianMicros, double sigma, long slowMicros,
        SimulatedBreaker breaker) {
      this.name = name;
      this.medianMicros = medianMicros;
      this.sigma = sigma;
      this.slowMicros = slowMicros;
      this.breaker = breaker;
    }

    @Nullable SimInstance pick() {
      for (int tries = 0; tries < instances.size(); tries++) {
        SimInstance i = instances.get(Math.floorMod(roundRobin++, instances.size()));
        if (i.serving()) {
          return i;
        }
      }
      return null;
    }

    Service toProto() {
      Service.Builder b = Service.newBuilder()
          .setName(name)
          .setBalancer(BalancerKind.BALANCER_KIND_ROUND_ROBIN)
          .setBreaker(BreakerSettings.newBuilder()
              .setWindowSize(SimulatedBreaker.WINDOW_SIZE)
              .setMinimumCalls(SimulatedBreaker.MINIMUM_CALLS)
              .setFailureRateThreshold(SimulatedBreaker.FAILURE_RATE_THRESHOLD)
              .setSlowCallRateThreshold(SimulatedBreaker.SLOW_CALL_RATE_THRESHOLD)
              .setSlowCallDuration(duration(Duration.ofNanos(slowMicros * 1000)))
              .setOpenDuration(duration(SimulatedBreaker.OPEN_DURATION))
              .setHalfOpenCalls(SimulatedBreaker.HALF_OPEN_CALLS))
          .setMinHealthyPercent(50)
          .setRegistry(RegistryKind.REGISTRY_KIND_STATIC);
      for (SimInstance i : instances) {
        b.addInstances(i.toProto());
      }
      return b.build();
    }
  }

  private static final class SimInstance {
    final String id;
    final SimService service;
    final String host;
    final int port;
    final String zone;
    double speed = 1;
    boolean checkHealthy = true;
    @Nullable Override drain;
    long requests;
    long failures;

    SimInstance(String id, SimService service, String host, int port, String zone) {
      this.id = id;
      this.service = service;
      this.host = host;
      this.port = port;
      this.zone = zone;
    }

    boolean serving() {
      return checkHealthy && drain == null;
    }

    CheckHealth checkHealth() {
      return checkHealthy ? CheckHealth.CHECK_HEALTH_HEALTHY : CheckHealth.CHECK_HEALTH_UNHEALTHY;
    }

    Instance toProto() {
      Instance.Builder b = Instance.newBuilder()
          .setId(id).setService(service.name).setHost(host).setPort(port).setWeight(1)
          .setZone(zone).setRegistryHealth(RegistryHealth.REGISTRY_HEALTH_PASSING)
          .setCheckHealth(checkHealth()).setServing(serving());
      if (drain != null) {
        b.setDrain(drain).setNotServingReason("drained by " + drain.getSetBy() + ": "
            + drain.getReason());
      } else if (!checkHealthy) {
        b.setNotServingReason("health check failing: 503");
      }
      return b.build();
    }
  }
}
