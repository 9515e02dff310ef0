package dev.sluice.console.demo;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;
import java.time.Duration;
import java.time.Instant;

/**
 * A count-based circuit breaker for the simulator: the last {@code windowSize} calls decide, open
 * after {@code openDuration} lets {@code halfOpenCalls} probes through, and an operator override is
 * kept apart from the computed state. Not thread-safe: the simulator calls it under its lock.
 */
final class SimulatedBreaker {
  static final int WINDOW_SIZE = 40;
  static final int MINIMUM_CALLS = 20;
  static final double FAILURE_RATE_THRESHOLD = 50;
  static final double SLOW_CALL_RATE_THRESHOLD = 80;
  static final Duration OPEN_DURATION = Duration.ofSeconds(8);
  static final int HALF_OPEN_CALLS = 5;

  /** A computed state change, for the event stream. */
  record Transition(BreakerState from, BreakerState to, String cause) {}

  private final boolean[] failed = new boolean[WINDOW_SIZE];
  private final boolean[] slow = new boolean[WINDOW_SIZE];
  private int next;
  private int calls;
  private BreakerState state = BreakerState.BREAKER_STATE_CLOSED;
  private Instant since;
  private int probes;
  private int failedProbes;
  private long notPermitted;
  BreakerOverride override = BreakerOverride.BREAKER_OVERRIDE_NONE;
  dev.sluice.admin.v1.@org.jspecify.annotations.Nullable Override overrideInfo;

  SimulatedBreaker(Instant now) {
    this.since = now;
  }

  boolean permits() {
    boolean permitted =
        switch (override) {
          case BREAKER_OVERRIDE_FORCED_OPEN -> false;
          case BREAKER_OVERRIDE_FORCED_CLOSED -> true;
          default -> state != BreakerState.BREAKER_STATE_OPEN
              && !(state == BreakerState.BREAKER_STATE_HALF_OPEN && probes >= HALF_OPEN_CALLS);
        };
    if (!permitted) {
      notPermitted++;
    }
    return permitted;
  }

  /** Records one call's outcome; returns the transition it caused, if any. */
  @org.jspecify.annotations.Nullable
  Transition record(boolean callFailed, boolean callSlow, Instant now) {
    if (state == BreakerState.BREAKER_STATE_HALF_OPEN) {
      probes++;
      if (callFailed) {
        failedProbes++;
      }
      if (probes >= HALF_OPEN_CALLS) {
        double rate = 100.0 * failedProbes / probes;
        return rate >= FAILURE_RATE_THRESHOLD
            ? move(BreakerState.BREAKER_STATE_OPEN, now, String.format(
                java.util.Locale.ROOT, "probe failure rate %.0f%% ≥ %.0f%%", rate,
                FAILURE_RATE_THRESHOLD))
            : closeWithEmptyWindow(now, "probes succeeded");
      }
      return null;
    }
    failed[next] = callFailed;
    slow[next] = callSlow;
    next = (next + 1) % WINDOW_SIZE;
    calls = Math.min(WINDOW_SIZE, calls + 1);
    if (state == BreakerState.BREAKER_STATE_CLOSED && calls >= MINIMUM_CALLS) {
      double failureRate = failureRate();
      if (failureRate >= FAILURE_RATE_THRESHOLD) {
        return move(BreakerState.BREAKER_STATE_OPEN, now, String.format(
            java.util.Locale.ROOT, "failure rate %.0f%% ≥ %.0f%%", failureRate,
            FAILURE_RATE_THRESHOLD));
      }
      double slowRate = slowCallRate();
      if (slowRate >= SLOW_CALL_RATE_THRESHOLD) {
        return move(BreakerState.BREAKER_STATE_OPEN, now, String.format(
            java.util.Locale.ROOT, "slow-call rate %.0f%% ≥ %.0f%%", slowRate,
            SLOW_CALL_RATE_THRESHOLD));
      }
    }
    return null;
  }

  /** Moves an open breaker to half-open once its open duration has passed. */
  @org.jspecify.annotations.Nullable
  Transition tick(Instant now) {
    if (state == BreakerState.BREAKER_STATE_OPEN
        && !now.isBefore(since.plus(OPEN_DURATION))) {
      probes = 0;
      failedProbes = 0;
      return move(BreakerState.BREAKER_STATE_HALF_OPEN, now, "open duration elapsed");
    }
    return null;
  }

  /** Ends any override and starts over closed with an empty window (the ResetBreaker rpc). */
  @org.jspecify.annotations.Nullable
  Transition reset(Instant now) {
    override = BreakerOverride.BREAKER_OVERRIDE_NONE;
    overrideInfo = null;
    if (state == BreakerState.BREAKER_STATE_CLOSED) {
      clearWindow();
      return null;
    }
    return closeWithEmptyWindow(now, "reset by operator");
  }

  BreakerState state() {
    return state;
  }

  Instant since() {
    return since;
  }

  long notPermitted() {
    return notPermitted;
  }

  int callsInWindow() {
    return calls;
  }

  int failedInWindow() {
    int n = 0;
    for (int i = 0; i < calls; i++) {
      n += failed[i] ? 1 : 0;
    }
    return n;
  }

  int slowInWindow() {
    int n = 0;
    for (int i = 0; i < calls; i++) {
      n += slow[i] ? 1 : 0;
    }
    return n;
  }

  /** 0–100, or -1 while fewer than the minimum calls are in the window. */
  double failureRate() {
    return calls < MINIMUM_CALLS ? -1 : 100.0 * failedInWindow() / calls;
  }

  double slowCallRate() {
    return calls < MINIMUM_CALLS ? -1 : 100.0 * slowInWindow() / calls;
  }

  private Transition closeWithEmptyWindow(Instant now, String cause) {
    clearWindow();
    return move(BreakerState.BREAKER_STATE_CLOSED, now, cause);
  }

  private void clearWindow() {
    calls = 0;
    next = 0;
    java.util.Arrays.fill(failed, false);
    java.util.Arrays.fill(slow, false);
  }

  private Transition move(BreakerState to, Instant now, String cause) {
    Transition t = new Transition(state, to, cause);
    state = to;
    since = now;
    return t;
  }
}
