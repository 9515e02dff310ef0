package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker for one upstream service: count-based sliding window, failure-rate and slow-call
 * rules, open duration, half-open probes, and operator overrides that leave the computed state visible.
 *
 * <p>Per request: {@link #tryAcquire()}; if permitted, make the call and finish it with exactly one of
 * {@link #onSuccess}, {@link #onFailure} or {@link #release}, passing the permit back. What counts as a
 * failure is the caller's decision (the proxy counts connect failures, timeouts and 5xx).
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li><b>CLOSED</b>: every call is permitted. Each outcome enters a window of the last {@code
 *       windowSize} outcomes. Once the window holds at least {@code minimumCalls} outcomes, after each
 *       outcome: failure rate = failed / calls × 100; if it is ≥ {@code failureRateThreshold} the breaker
 *       opens; else if the slow-call rule is on (threshold below 100) and slow / calls × 100 ≥ {@code
 *       slowCallRateThreshold}, it opens. A call is slow when its duration ≥ {@code slowCallDuration};
 *       a failed call can be slow too.
 *   <li><b>OPEN</b>: every call is refused with a retry-after of the time left; outcomes of calls let
 *       through earlier do not count. After {@code openDuration} the breaker becomes HALF_OPEN (noticed
 *       by the next {@link #tryAcquire()} or {@link #snapshot()}).
 *   <li><b>HALF_OPEN</b>: the first {@code halfOpenCalls} calls are probes; others are refused with a
 *       retry-after of one second. When every probe has reported, the same rules as CLOSED are applied
 *       to the probes alone: at or above a threshold → OPEN again, otherwise → CLOSED with an empty
 *       window. A released probe frees its slot for another probe.
 *   <li>An outcome only counts in the state that permitted the call: a call let through while CLOSED
 *       that ends after the breaker opened is counted per instance, not in any window.
 *   <li><b>Overrides</b>: {@link #forceOpen} refuses every call, {@link #forceClose} permits every
 *       call. Underneath, the computed state keeps following traffic (under FORCED_CLOSED a computed
 *       OPEN still moves to HALF_OPEN after the open duration, probes still decide). An override holds
 *       until {@link #reset()}, until another override replaces it, or until its optional deadline on
 *       this breaker's ticker passes (noticed by the next call or snapshot, and announced).
 *   <li>{@link #reset()} removes the override and starts a fresh CLOSED state with an empty window.
 * </ul>
 *
 * <p>Thread-safe and lock-free: state changes are compare-and-set on one immutable state object, so
 * exactly one thread performs (and announces) each transition. A permitted call allocates nothing.
 */
public final class CircuitBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /** Retry-after hint while half-open with every probe slot taken. */
  static final long HALF_OPEN_RETRY_AFTER_NANOS = 1_000_000_000L;

  private final BreakerSettings settings;
  private final Ticker ticker;
  private final BreakerListener listener;
  private final long slowCallNanos;
  private final long openNanos;
  private final AtomicReference<Phase> phase;
  private final AtomicReference<OverrideState> override = new AtomicReference<>(OverrideState.NONE);
  private final LongAdder notPermitted = new LongAdder();
  private final ConcurrentHashMap<String, InstanceCallStats> instances = new ConcurrentHashMap<>();

  /**
   * A closed breaker.
   *
   * @throws IllegalArgumentException if {@code settings.validate()} reports violations; validate
   *     configuration before building breakers from it
   */
  public CircuitBreaker(BreakerSettings settings, Ticker ticker, BreakerListener listener) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid breaker settings: " + violations);
    }
    this.settings = settings;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.slowCallNanos = settings.slowCallDuration().toNanos();
    this.openNanos = settings.openDuration().toNanos();
    this.phase = new AtomicReference<>(Phase.closed(0L, ticker.nanos(), settings.windowSize()));
  }

  public BreakerSettings settings() {
    return settings;
  }

  /** The counters of one instance, created on first use; keep it and pass it with each outcome. */
  public InstanceCallStats instance(String instanceId) {
    return instances.computeIfAbsent(instanceId, InstanceCallStats::new);
  }

  /** Drops an instance's counters (when the registry no longer lists it). */
  public void forgetInstance(String instanceId) {
    instances.remove(instanceId);
  }

  /** Decides whether one call may go ahead now; never blocks. */
  public CallPermit tryAcquire() {
    long now = ticker.nanos();
    OverrideState forced = currentOverride(now);
    Phase current = currentPhase(now);
    if (forced.kind == BreakerOverride.FORCED_OPEN) {
      notPermitted.increment();
      return CallPermit.refused(forced.deadline != null ? forced.deadline - now : openNanos);
    }
    switch (current.state) {
      case CLOSED:
        return current.permit;
      case HALF_OPEN:
        if (current.tryTakeProbe(settings.halfOpenCalls())) {
          return current.permit;
        }
        if (forced.kind == BreakerOverride.FORCED_CLOSED) {
          return CallPermit.UNTRACKED;
        }
        notPermitted.increment();
        return CallPermit.refused(HALF_OPEN_RETRY_AFTER_NANOS);
      case OPEN:
      default:
        if (forced.kind == BreakerOverride.FORCED_CLOSED) {
          return CallPermit.UNTRACKED;
        }
        notPermitted.increment();
        return CallPermit.refused(current.openUntilNanos - now);
    }
  }

  /** Reports a permitted call that succeeded, with no instance attribution. */
  public void onSuccess(CallPermit permit, long durationNanos) {
    record(permit, null, durationNanos, false);
  }

  /** Reports a permitted call to {@code instance} that succeeded after {@code durationNanos}. */
  public void onSuccess(CallPermit permit, InstanceCallStats instance, long durationNanos) {
    record(permit, instance, durationNanos, false);
  }

  /** Reports a permitted call that failed, with no instance attribution. */
  public void onFailure(CallPermit permit, long durationNanos) {
    record(permit, null, durationNanos, true);
  }

  /** Reports a permitted call to {@code instance} that failed after {@code durationNanos}. */
  public void onFailure(CallPermit permit, InstanceCallStats instance, long durationNanos) {
    record(permit, instance, durationNanos, true);
  }

  /**
   * Returns a permit whose call was not made or whose outcome says nothing about the upstream (the
   * client went away first); a half-open probe slot becomes free again.
   */
  public void release(CallPermit permit) {
    if (!permit.probe) {
      return;
    }
    Phase current = phase.get();
    if (current.generation == permit.generation) {
      current.releaseProbe();
    }
  }

  /** Refuses every call until {@link #reset()}, another override, or {@code deadlineNanos} passes. */
  public void forceOpen(@Nullable Long deadlineNanos) {
    setOverride(BreakerOverride.FORCED_OPEN, deadlineNanos);
  }

  /** Permits every call until {@link #reset()}, another override, or {@code deadlineNanos} passes. */
  public void forceClose(@Nullable Long deadlineNanos) {
    setOverride(BreakerOverride.FORCED_CLOSED, deadlineNanos);
  }

  /** Removes any override and starts over CLOSED with an empty window. */
  public void reset() {
    long now = ticker.nanos();
    override.set(OverrideState.NONE);
    Phase previous;
    Phase fresh;
    do {
      previous = phase.get();
      fresh = Phase.closed(previous.generation + 1, now, settings.windowSize());
    } while (!phase.compareAndSet(previous, fresh));
    announce(previous.state, BreakerState.CLOSED, BreakerOverride.NONE, "reset", now);
  }

  /** The breaker now, after noticing any elapsed open duration or expired override. */
  public BreakerSnapshot snapshot() {
    long now = ticker.nanos();
    OverrideState forced = currentOverride(now);
    Phase current = currentPhase(now);
    long totals = current.window.totals();
    int calls = Math.max(0, OutcomeWindow.calls(totals));
    int failed = Math.max(0, OutcomeWindow.failed(totals));
    int slow = Math.max(0, OutcomeWindow.slow(totals));
    int needed = current.state == BreakerState.HALF_OPEN ? settings.halfOpenCalls() : settings.minimumCalls();
    boolean evaluable = calls >= needed;
    List<InstanceCallStats.Snapshot> perInstance = new ArrayList<>(instances.size());
    for (InstanceCallStats stats : instances.values()) {
      perInstance.add(stats.snapshot());
    }
    perInstance.sort(Comparator.comparing(InstanceCallStats.Snapshot::instanceId));
    return new BreakerSnapshot(
        current.state,
        forced.kind,
        forced.deadline,
        evaluable ? failed * 100.0 / calls : -1.0,
        evaluable ? slow * 100.0 / calls : -1.0,
        calls,
        failed,
        slow,
        notPermitted.sum(),
        current.sinceNanos,
        perInstance);
  }

  /** Test hook: the window of the current state, for recounting. */
  OutcomeWindow currentWindow() {
    return phase.get().window;
  }

  private void record(CallPermit permit, @Nullable InstanceCallStats instance, long durationNanos, boolean failed) {
    boolean slow = durationNanos >= slowCallNanos;
    if (instance != null) {
      instance.record(failed, slow);
    }
    Phase current = phase.get();
    if (permit.generation != current.generation || current.state == BreakerState.OPEN) {
      return;
    }
    long totals = current.window.record(failed, slow);
    if (current.state == BreakerState.CLOSED) {
      evaluateClosed(current, totals);
    } else {
      evaluateHalfOpen(current, totals);
    }
  }

  private void evaluateClosed(Phase closed, long totals) {
    int calls = OutcomeWindow.calls(totals);
    if (calls < settings.minimumCalls()) {
      return;
    }
    String cause = tripCause(totals, calls, "");
    if (cause != null) {
      long now = ticker.nanos();
      transition(closed, Phase.open(closed.generation + 1, now, now + openNanos, closed.window), cause, now);
    }
  }

  private void evaluateHalfOpen(Phase halfOpen, long totals) {
    int calls = OutcomeWindow.calls(totals);
    if (calls < settings.halfOpenCalls()) {
      return;
    }
    long now = ticker.nanos();
    String cause = tripCause(totals, calls, "half-open probes: ");
    if (cause != null) {
      transition(halfOpen, Phase.open(halfOpen.generation + 1, now, now + openNanos, halfOpen.window), cause, now);
      return;
    }
    double failureRate = OutcomeWindow.failed(totals) * 100.0 / calls;
    StringBuilder why = new StringBuilder("half-open probes: failure rate ")
        .append(OperatorText.format(failureRate)).append(" < ").append(OperatorText.format(settings.failureRateThreshold()));
    if (settings.slowCallRuleEnabled()) {
      why.append(", slow-call rate ").append(OperatorText.format(OutcomeWindow.slow(totals) * 100.0 / calls))
          .append(" < ").append(OperatorText.format(settings.slowCallRateThreshold()));
    }
    transition(halfOpen, Phase.closed(halfOpen.generation + 1, now, settings.windowSize()), why.toString(), now);
  }

  /** The cause for opening, or null when the window is below both thresholds. */
  private @Nullable String tripCause(long totals, int calls, String prefix) {
    double failureRate = OutcomeWindow.failed(totals) * 100.0 / calls;
    if (failureRate >= settings.failureRateThreshold()) {
      return prefix + "failure rate " + OperatorText.format(failureRate) + " ≥ " + OperatorText.format(settings.failureRateThreshold());
    }
    if (settings.slowCallRuleEnabled()) {
      double slowRate = OutcomeWindow.slow(totals) * 100.0 / calls;
      if (slowRate >= settings.slowCallRateThreshold()) {
        return prefix + "slow-call rate " + OperatorText.format(slowRate) + " ≥ " + OperatorText.format(settings.slowCallRateThreshold());
      }
    }
    return null;
  }

  private Phase currentPhase(long now) {
    Phase current = phase.get();
    while (current.state == BreakerState.OPEN && now - current.openUntilNanos >= 0) {
      Phase halfOpen = Phase.halfOpen(current.generation + 1, now, settings.halfOpenCalls());
      transition(current, halfOpen, "open duration elapsed", now);
      current = phase.get();
    }
    return current;
  }

  private OverrideState currentOverride(long now) {
    OverrideState forced = override.get();
    while (forced.kind != BreakerOverride.NONE && forced.deadline != null && now - forced.deadline >= 0) {
      if (override.compareAndSet(forced, OverrideState.NONE)) {
        BreakerState state = phase.get().state;
        announce(state, state, BreakerOverride.NONE, words(forced.kind) + " expired", now);
      }
      forced = override.get();
    }
    return forced;
  }

  private void setOverride(BreakerOverride kind, @Nullable Long deadlineNanos) {
    long now = ticker.nanos();
    override.set(new OverrideState(kind, deadlineNanos));
    String cause = deadlineNanos == null
        ? words(kind) + " until reset"
        : words(kind) + " for " + OperatorText.seconds(deadlineNanos - now);
    BreakerState state = currentPhase(now).state;
    announce(state, state, kind, cause, now);
  }

  private void transition(Phase from, Phase to, String cause, long now) {
    if (phase.compareAndSet(from, to)) {
      announce(from.state, to.state, override.get().kind, cause, now);
    }
  }

  private void announce(BreakerState from, BreakerState to, BreakerOverride kind, String cause, long now) {
    try {
      listener.onTransition(new BreakerTransition(from, to, kind, cause, now));
    } catch (RuntimeException e) {
      LOG.warn("breaker listener failed on transition {} -> {}", from, to, e);
    }
  }

  private static String words(BreakerOverride kind) {
    return switch (kind) {
      case NONE -> "no override";
      case FORCED_OPEN -> "forced open";
      case FORCED_CLOSED -> "forced closed";
    };
  }

  /** An override and its optional deadline; replaced as a whole. */
  private record OverrideState(BreakerOverride kind, @Nullable Long deadline) {
    static final OverrideState NONE = new OverrideState(BreakerOverride.NONE, null);
  }

  /**
   * One stay in a computed state. A transition installs a new phase with the next generation, which
   * is how late outcomes of calls permitted by an earlier phase are recognised and left out.
   */
  private static final class Phase {
    final long generation;
    final BreakerState state;
    final long sinceNanos;
    final long openUntilNanos;
    /** CLOSED: the live window; HALF_OPEN: the probes; OPEN: the frozen window that opened it. */
    final OutcomeWindow window;
    final CallPermit permit;
    private final AtomicInteger probesTaken = new AtomicInteger();

    private Phase(long generation, BreakerState state, long sinceNanos, long openUntilNanos, OutcomeWindow window) {
      this.generation = generation;
      this.state = state;
      this.sinceNanos = sinceNanos;
      this.openUntilNanos = openUntilNanos;
      this.window = window;
      this.permit = new CallPermit(true, 0L, generation, state == BreakerState.HALF_OPEN);
    }

    static Phase closed(long generation, long now, int windowSize) {
      return new Phase(generation, BreakerState.CLOSED, now, 0L, new OutcomeWindow(windowSize));
    }

    static Phase open(long generation, long now, long openUntil, OutcomeWindow tripped) {
      return new Phase(generation, BreakerState.OPEN, now, openUntil, tripped);
    }

    static Phase halfOpen(long generation, long now, int probes) {
      return new Phase(generation, BreakerState.HALF_OPEN, now, 0L, new OutcomeWindow(probes));
    }

    boolean tryTakeProbe(int limit) {
      int taken;
      do {
        taken = probesTaken.get();
        if (taken >= limit) {
          return false;
        }
      } while (!probesTaken.compareAndSet(taken, taken + 1));
      return true;
    }

    void releaseProbe() {
      probesTaken.decrementAndGet();
    }
  }
}
