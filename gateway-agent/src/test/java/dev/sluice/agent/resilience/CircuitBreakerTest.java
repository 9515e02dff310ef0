package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final long FAST = Duration.ofMillis(10).toNanos();
  private static final long SLOW = Duration.ofSeconds(2).toNanos();

  private final FakeTicker ticker = new FakeTicker();
  private final List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();

  private CircuitBreaker breaker(BreakerSettings settings) {
    return new CircuitBreaker(settings, ticker, transitions::add);
  }

  /** Window 10, minimum 10, failure 50 %, open 30 s, 3 probes. */
  private static BreakerSettings small() {
    return BreakerSettings.DEFAULTS.withWindow(10, 10).withHalfOpenCalls(3);
  }

  private static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      CallPermit permit = breaker.tryAcquire();
      assertThat(permit.isPermitted()).isTrue();
      breaker.onSuccess(permit, FAST);
    }
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      CallPermit permit = breaker.tryAcquire();
      assertThat(permit.isPermitted()).isTrue();
      breaker.onFailure(permit, FAST);
    }
  }

  private void openIt(CircuitBreaker breaker) {
    fail(breaker, breaker.settings().minimumCalls());
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void doesNotEvaluateRatesBeforeMinimumCalls() {
    CircuitBreaker breaker = breaker(small());

    fail(breaker, 9);

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.failureRate()).isEqualTo(-1.0);
    assertThat(snapshot.slowCallRate()).isEqualTo(-1.0);
    assertThat(snapshot.callsInWindow()).isEqualTo(9);
    assertThat(snapshot.failedCallsInWindow()).isEqualTo(9);
  }

  @Test
  void opensWhenFailureRateReachesThresholdAtMinimumCalls() {
    CircuitBreaker breaker = breaker(small());
    succeed(breaker, 5);
    fail(breaker, 4);
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.CLOSED);

    fail(breaker, 1);

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.OPEN);
    assertThat(snapshot.failureRate()).isEqualTo(50.0);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(BreakerState.CLOSED);
      assertThat(t.to()).isEqualTo(BreakerState.OPEN);
      assertThat(t.cause()).isEqualTo("failure rate 50.0% ≥ 50.0%");
    });
  }

  @Test
  void staysClosedWhileFailureRateIsBelowThreshold() {
    CircuitBreaker breaker = breaker(small());

    for (int round = 0; round < 20; round++) {
      succeed(breaker, 6);
      fail(breaker, 4);
    }

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.failureRate()).isEqualTo(40.0);
    assertThat(transitions).isEmpty();
  }

  @Test
  void oldOutcomesSlideOutOfTheWindow() {
    CircuitBreaker breaker = breaker(BreakerSettings.DEFAULTS.withWindow(10, 10));
    fail(breaker, 4);
    succeed(breaker, 10);

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.callsInWindow()).isEqualTo(10);
    assertThat(snapshot.failedCallsInWindow()).isZero();
    assertThat(snapshot.failureRate()).isZero();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void opensAtExactlyTheCallAReferenceModelSays() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      int windowSize = 1 + random.nextInt(30);
      int minimumCalls = 1 + random.nextInt(windowSize);
      double threshold = 5 + random.nextInt(95);
      int failurePercent = random.nextInt(60);
      CircuitBreaker breaker = breaker(BreakerSettings.DEFAULTS.withWindow(windowSize, minimumCalls)
          .withFailureRateThreshold(threshold));
      Deque<Boolean> model = new ArrayDeque<>();

      for (int call = 0; call < 300; call++) {
        boolean failed = random.nextInt(100) < failurePercent;
        model.addLast(failed);
        if (model.size() > windowSize) {
          model.removeFirst();
        }
        long failures = model.stream().filter(f -> f).count();
        boolean shouldOpen = model.size() >= minimumCalls && failures * 100.0 / model.size() >= threshold;

        CallPermit permit = breaker.tryAcquire();
        assertThat(permit.isPermitted()).isTrue();
        if (failed) {
          breaker.onFailure(permit, FAST);
        } else {
          breaker.onSuccess(permit, FAST);
        }

        BreakerState expected = shouldOpen ? BreakerState.OPEN : BreakerState.CLOSED;
        assertThat(breaker.snapshot().computedState())
            .as("run %d, call %d: window %d, minimum %d, threshold %.0f, %d of %d failed",
                run, call, windowSize, minimumCalls, threshold, failures, model.size())
            .isEqualTo(expected);
        if (shouldOpen) {
          break;
        }
      }
    }
  }

  @Test
  void opensWhenSlowCallRateReachesThreshold() {
    CircuitBreaker breaker = breaker(small().withSlowCalls(60.0, Duration.ofSeconds(1)));
    for (int i = 0; i < 4; i++) {
      breaker.onSuccess(breaker.tryAcquire(), FAST);
    }
    for (int i = 0; i < 5; i++) {
      breaker.onSuccess(breaker.tryAcquire(), SLOW);
    }
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.CLOSED);

    breaker.onSuccess(breaker.tryAcquire(), Duration.ofSeconds(1).toNanos());

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.OPEN);
    assertThat(snapshot.slowCallsInWindow()).isEqualTo(6);
    assertThat(transitions).singleElement().extracting(BreakerTransition::cause)
        .isEqualTo("slow-call rate 60.0% ≥ 60.0%");
  }

  @Test
  void slowCallRuleIsOffAtOneHundredPercent() {
    CircuitBreaker breaker = breaker(small().withSlowCalls(100.0, Duration.ofSeconds(1)));

    for (int i = 0; i < 30; i++) {
      breaker.onSuccess(breaker.tryAcquire(), SLOW);
    }

    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.snapshot().slowCallRate()).isEqualTo(100.0);
  }

  @Test
  void refusesWhileOpenWithTheTimeLeftAsRetryAfter() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(10));

    CallPermit refusal = breaker.tryAcquire();

    assertThat(refusal.isPermitted()).isFalse();
    assertThat(refusal.retryAfterNanos()).isEqualTo(Duration.ofSeconds(20).toNanos());
    assertThat(refusal.retryAfterSeconds()).isEqualTo(20);
    assertThat(breaker.tryAcquire().isPermitted()).isFalse();
    assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(2);
  }

  @Test
  void becomesHalfOpenAfterOpenDurationAndPermitsOnlyTheProbes() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(breaker.tryAcquire().isPermitted()).isFalse();

    ticker.advanceNanos(1);
    List<CallPermit> probes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      probes.add(breaker.tryAcquire());
    }
    CallPermit fourth = breaker.tryAcquire();

    assertThat(probes).allMatch(CallPermit::isPermitted);
    assertThat(fourth.isPermitted()).isFalse();
    assertThat(fourth.retryAfterNanos()).isEqualTo(CircuitBreaker.HALF_OPEN_RETRY_AFTER_NANOS);
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(transitions).extracting(BreakerTransition::cause).last().isEqualTo("open duration elapsed");
  }

  @Test
  void closesWhenTheProbesSucceedAndStartsWithAnEmptyWindow() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    List<CallPermit> probes = List.of(breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire());

    breaker.onSuccess(probes.get(0), FAST);
    breaker.onFailure(probes.get(1), FAST);
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.HALF_OPEN);
    breaker.onSuccess(probes.get(2), FAST);

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.callsInWindow()).isZero();
    assertThat(transitions).extracting(BreakerTransition::cause).last()
        .isEqualTo("half-open probes: failure rate 33.3% < 50.0%");
  }

  @Test
  void reopensWhenTheProbesFail() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    List<CallPermit> probes = List.of(breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire());

    breaker.onFailure(probes.get(0), FAST);
    breaker.onSuccess(probes.get(1), FAST);
    breaker.onFailure(probes.get(2), FAST);

    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.OPEN);
    assertThat(transitions).extracting(BreakerTransition::cause).last()
        .isEqualTo("half-open probes: failure rate 66.7% ≥ 50.0%");
    CallPermit refusal = breaker.tryAcquire();
    assertThat(refusal.retryAfterNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void slowProbesReopenTheBreakerAndFastOnesNameBothRatesWhenClosing() {
    CircuitBreaker breaker = breaker(small().withSlowCalls(50.0, Duration.ofSeconds(1)));
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(breaker.tryAcquire(), SLOW);
    }
    assertThat(transitions).extracting(BreakerTransition::cause).last()
        .isEqualTo("half-open probes: slow-call rate 100.0% ≥ 50.0%");

    ticker.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(breaker.tryAcquire(), FAST);
    }

    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(transitions).extracting(BreakerTransition::cause).last()
        .isEqualTo("half-open probes: failure rate 0.0% < 50.0%, slow-call rate 0.0% < 50.0%");
  }

  @Test
  void forcedClosedEndsAtItsDeadlineAndTheComputedStateTakesOver() {
    CircuitBreaker breaker = breaker(small());
    breaker.forceClose(ticker.plus(Duration.ofSeconds(10)));
    fail(breaker, 10);
    assertThat(breaker.tryAcquire().isPermitted()).isTrue();

    ticker.advance(Duration.ofSeconds(10));

    CallPermit refusal = breaker.tryAcquire();
    assertThat(refusal.isPermitted()).isFalse();
    assertThat(refusal.retryAfterNanos()).isEqualTo(Duration.ofSeconds(20).toNanos());
    assertThat(transitions).extracting(BreakerTransition::cause).last().isEqualTo("forced closed expired");
  }

  @Test
  void outcomesOfCallsPermittedBeforeATransitionDoNotCountAsProbes() {
    CircuitBreaker breaker = breaker(small());
    CallPermit lateCall = breaker.tryAcquire();
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    CallPermit probe = breaker.tryAcquire();

    breaker.onSuccess(lateCall, FAST);

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(snapshot.callsInWindow()).isZero();
    breaker.onSuccess(probe, FAST);
    assertThat(breaker.snapshot().callsInWindow()).isEqualTo(1);
  }

  @Test
  void releasedProbeFreesItsSlot() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    CallPermit first = breaker.tryAcquire();
    breaker.tryAcquire();
    breaker.tryAcquire();
    assertThat(breaker.tryAcquire().isPermitted()).isFalse();

    breaker.release(first);

    assertThat(breaker.tryAcquire().isPermitted()).isTrue();
    assertThat(breaker.tryAcquire().isPermitted()).isFalse();
  }

  @Test
  void forcedOpenRefusesEveryCallWhileTheComputedStateStaysClosed() {
    CircuitBreaker breaker = breaker(small());
    succeed(breaker, 3);

    breaker.forceOpen(null);

    CallPermit refusal = breaker.tryAcquire();
    assertThat(refusal.isPermitted()).isFalse();
    assertThat(refusal.retryAfterNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.override()).isEqualTo(BreakerOverride.FORCED_OPEN);
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.overrideDeadlineNanos()).isNull();
    assertThat(snapshot.describe()).isEqualTo("forced open; would be closed");
    assertThat(snapshot.effectiveState()).isEqualTo("FORCED_OPEN");
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.computedStateChanged()).isFalse();
      assertThat(t.override()).isEqualTo(BreakerOverride.FORCED_OPEN);
      assertThat(t.cause()).isEqualTo("forced open until reset");
    });
  }

  @Test
  void forcedClosedLetsTrafficThroughWhileTheComputedStateOpensAndRecovers() {
    CircuitBreaker breaker = breaker(small());
    breaker.forceClose(null);

    fail(breaker, 10);
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.snapshot().describe()).isEqualTo("forced closed; would be open");
    assertThat(breaker.tryAcquire().isPermitted()).isTrue();

    ticker.advance(Duration.ofSeconds(30));
    List<CallPermit> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(breaker.tryAcquire());
    }
    assertThat(calls).allMatch(CallPermit::isPermitted);
    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.HALF_OPEN);
    for (int i = 3; i < 10; i++) {
      breaker.onFailure(calls.get(i), FAST);
    }
    assertThat(breaker.snapshot().computedState())
        .as("only the first three calls are probes")
        .isEqualTo(BreakerState.HALF_OPEN);
    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(calls.get(i), FAST);
    }

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.override()).isEqualTo(BreakerOverride.FORCED_CLOSED);
    assertThat(snapshot.notPermittedCalls()).isZero();
  }

  @Test
  void overrideEndsByItselfAtItsDeadline() {
    CircuitBreaker breaker = breaker(small());
    long deadline = ticker.plus(Duration.ofMinutes(5));
    breaker.forceOpen(deadline);
    assertThat(transitions).last().extracting(BreakerTransition::cause).isEqualTo("forced open for 300.0 s");

    ticker.advance(Duration.ofMinutes(5).minusNanos(1));
    CallPermit refusal = breaker.tryAcquire();
    assertThat(refusal.isPermitted()).isFalse();
    assertThat(refusal.retryAfterNanos()).isEqualTo(1L);
    assertThat(breaker.snapshot().overrideDeadlineNanos()).isEqualTo(deadline);

    ticker.advanceNanos(1);
    BreakerSnapshot snapshot = breaker.snapshot();

    assertThat(snapshot.override()).isEqualTo(BreakerOverride.NONE);
    assertThat(snapshot.overrideDeadlineNanos()).isNull();
    assertThat(breaker.tryAcquire().isPermitted()).isTrue();
    assertThat(transitions).last().satisfies(t -> {
      assertThat(t.override()).isEqualTo(BreakerOverride.NONE);
      assertThat(t.cause()).isEqualTo("forced open expired");
    });
  }

  @Test
  void computedStateMovesOnWhileForcedOpen() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    breaker.forceOpen(null);

    ticker.advance(Duration.ofSeconds(30));

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(snapshot.describe()).isEqualTo("forced open; would be half-open");
    assertThat(breaker.tryAcquire().isPermitted()).isFalse();
  }

  @Test
  void resetRemovesTheOverrideAndEmptiesTheWindow() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    breaker.forceOpen(ticker.plus(Duration.ofHours(1)));

    breaker.reset();

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.computedState()).isEqualTo(BreakerState.CLOSED);
    assertThat(snapshot.override()).isEqualTo(BreakerOverride.NONE);
    assertThat(snapshot.callsInWindow()).isZero();
    assertThat(breaker.tryAcquire().isPermitted()).isTrue();
    assertThat(transitions).last().satisfies(t -> {
      assertThat(t.from()).isEqualTo(BreakerState.OPEN);
      assertThat(t.to()).isEqualTo(BreakerState.CLOSED);
      assertThat(t.cause()).isEqualTo("reset");
    });
  }

  @Test
  void announcesEveryTransitionInOrderWithItsCause() {
    CircuitBreaker breaker = breaker(small());
    openIt(breaker);
    ticker.advance(Duration.ofSeconds(30));
    succeed(breaker, 3);

    assertThat(transitions)
        .extracting(t -> t.from() + "->" + t.to() + ": " + t.cause())
        .containsExactly(
            "CLOSED->OPEN: failure rate 100.0% ≥ 50.0%",
            "OPEN->HALF_OPEN: open duration elapsed",
            "HALF_OPEN->CLOSED: half-open probes: failure rate 0.0% < 50.0%");
    assertThat(transitions.get(1).atNanos() - transitions.get(0).atNanos())
        .isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void stateSinceFollowsTheComputedState() {
    CircuitBreaker breaker = breaker(small());
    ticker.advance(Duration.ofSeconds(5));
    long openedAt = ticker.nanos();
    openIt(breaker);

    assertThat(breaker.snapshot().stateSinceNanos()).isEqualTo(openedAt);
  }

  @Test
  void countsCallsPerInstance() {
    CircuitBreaker breaker = breaker(small().withSlowCalls(100.0, Duration.ofSeconds(1)));
    InstanceCallStats a = breaker.instance("a:8080");
    InstanceCallStats b = breaker.instance("b:8080");
    assertThat(breaker.instance("a:8080")).isSameAs(a);

    breaker.onSuccess(breaker.tryAcquire(), a, FAST);
    breaker.onFailure(breaker.tryAcquire(), a, SLOW);
    breaker.onSuccess(breaker.tryAcquire(), b, SLOW);

    assertThat(breaker.snapshot().instances()).containsExactly(
        new InstanceCallStats.Snapshot("a:8080", 2, 1, 1),
        new InstanceCallStats.Snapshot("b:8080", 1, 0, 1));
    breaker.forgetInstance("b:8080");
    assertThat(breaker.snapshot().instances()).extracting(InstanceCallStats.Snapshot::instanceId)
        .containsExactly("a:8080");
  }

  @Test
  void aFailingListenerDoesNotBreakTheBreaker() {
    CircuitBreaker breaker = new CircuitBreaker(small(), ticker, t -> {
      throw new IllegalStateException("listener bug");
    });

    fail(breaker, 10);

    assertThat(breaker.snapshot().computedState()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void defaultsAreValid() {
    assertThat(BreakerSettings.DEFAULTS.validate()).isEmpty();
    assertThat(BreakerSettings.DEFAULTS.slowCallRuleEnabled()).isFalse();
  }

  @Test
  void validationReportsEveryViolationAtOnce() {
    BreakerSettings bad = new BreakerSettings(10, 20, 0.0, 150.0, Duration.ZERO, Duration.ofSeconds(-1), 0);

    assertThat(bad.validate()).extracting(Violation::path).containsExactly(
        "minimumCalls", "failureRateThreshold", "slowCallRateThreshold", "slowCallDuration",
        "openDuration", "halfOpenCalls");
    assertThat(bad.validate().get(0).message()).contains("must not exceed windowSize (10)");
    assertThatThrownBy(() -> new CircuitBreaker(bad, ticker, BreakerListener.none()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsStayConsistentUnderConcurrentCalls() throws Exception {
    int threads = 8;
    int callsPerThread = 20_000;
    CircuitBreaker breaker = breaker(BreakerSettings.DEFAULTS.withWindow(50, 10).withHalfOpenCalls(4));
    InstanceCallStats[] instances = {breaker.instance("a"), breaker.instance("b"), breaker.instance("c")};
    AtomicLong permitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong attempted = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      Future<?> clock = pool.submit(() -> {
        while (running.get()) {
          ticker.advance(Duration.ofMillis(500));
          Thread.onSpinWait();
        }
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          // At least callsPerThread calls each, then on until a half-open phase was seen: on a busy
          // machine the clock thread may get too little time to end an open phase within the minimum.
          for (int i = 0; i < callsPerThread || (!sawHalfOpen() && System.nanoTime() < deadline); i++) {
            attempted.incrementAndGet();
            CallPermit permit = breaker.tryAcquire();
            if (!permit.isPermitted()) {
              refused.incrementAndGet();
              continue;
            }
            permitted.incrementAndGet();
            InstanceCallStats instance = instances[random.nextInt(instances.length)];
            if (random.nextInt(100) < 45) {
              breaker.onFailure(permit, instance, FAST);
            } else {
              breaker.onSuccess(permit, instance, FAST);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      running.set(false);
      clock.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    BreakerSnapshot snapshot = breaker.snapshot();
    assertThat(attempted.get()).isGreaterThanOrEqualTo((long) threads * callsPerThread);
    assertThat(permitted.get() + refused.get()).isEqualTo(attempted.get());
    assertThat(snapshot.notPermittedCalls()).isEqualTo(refused.get());
    assertThat(snapshot.instances().stream().mapToLong(InstanceCallStats.Snapshot::calls).sum())
        .isEqualTo(permitted.get());
    int[] recount = breaker.currentWindow().recount();
    long totals = breaker.currentWindow().totals();
    assertThat(new int[] {OutcomeWindow.calls(totals), OutcomeWindow.failed(totals), OutcomeWindow.slow(totals)})
        .containsExactly(recount);
    assertThat(transitions).as("the breaker went through its states")
        .extracting(BreakerTransition::to).contains(BreakerState.OPEN, BreakerState.HALF_OPEN);
  }

  private boolean sawHalfOpen() {
    for (BreakerTransition transition : transitions) {
      if (transition.to() == BreakerState.HALF_OPEN) {
        return true;
      }
    }
    return false;
  }
}
