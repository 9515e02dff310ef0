package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private static final OutlierSettings SETTINGS =
      new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 50.0, 50.0);

  private final FakeTicker ticker = new FakeTicker();
  private final List<OutlierEjection> ejections = new CopyOnWriteArrayList<>();

  private OutlierDetector detector(OutlierSettings settings, int instances) {
    OutlierDetector detector = new OutlierDetector(settings, ticker, ejections::add);
    for (int i = 0; i < instances; i++) {
      detector.instance("i" + i);
    }
    return detector;
  }

  private static void failTimes(OutlierDetector detector, OutlierDetector.Instance instance, int times) {
    for (int i = 0; i < times; i++) {
      detector.onFailure(instance);
    }
  }

  @Test
  void ejectsAfterConsecutiveFailures() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");

    failTimes(detector, instance, 2);
    assertThat(detector.isEjected(instance)).isFalse();
    detector.onFailure(instance);

    assertThat(detector.isEjected(instance)).isTrue();
    assertThat(ejections).singleElement().satisfies(e -> {
      assertThat(e.instanceId()).isEqualTo("i0");
      assertThat(e.ejectionCount()).isEqualTo(1);
      assertThat(e.durationNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
      assertThat(e.cause()).isEqualTo("3 consecutive failures; ejected for 10.0 s (ejection 1)");
    });
  }

  @Test
  void aSuccessResetsTheConsecutiveCount() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");

    failTimes(detector, instance, 2);
    detector.onSuccess(instance);
    failTimes(detector, instance, 2);

    assertThat(detector.isEjected(instance)).isFalse();
    assertThat(detector.snapshot().get(0).consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void returnsWhenTheEjectionTimeIsUp() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");
    failTimes(detector, instance, 3);

    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(detector.isEjected(instance)).isTrue();
    ticker.advanceNanos(1);

    assertThat(detector.isEjected(instance)).isFalse();
    assertThat(detector.snapshot().get(0)).satisfies(state -> {
      assertThat(state.ejected()).isFalse();
      assertThat(state.ejectedUntilNanos()).isNull();
      assertThat(state.consecutiveFailures()).isZero();
    });
  }

  @Test
  void ejectionTimeGrowsWithEachEjectionUpToTheMaximum() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");

    List<Long> durations = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      failTimes(detector, instance, 3);
      OutlierEjection last = ejections.get(ejections.size() - 1);
      durations.add(last.durationNanos());
      ticker.advanceNanos(last.durationNanos());
    }

    assertThat(durations).containsExactly(
        Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(20).toNanos(),
        Duration.ofSeconds(25).toNanos(), Duration.ofSeconds(25).toNanos());
    assertThat(ejections).extracting(OutlierEjection::ejectionCount).containsExactly(1, 2, 3, 4);
  }

  @Test
  void theEjectionCountDecaysWhileTheInstanceServesWell() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");
    failTimes(detector, instance, 3);
    ticker.advance(Duration.ofSeconds(10));
    failTimes(detector, instance, 3);
    ticker.advance(Duration.ofSeconds(20));

    ticker.advance(Duration.ofSeconds(15));
    failTimes(detector, instance, 3);

    assertThat(ejections).extracting(OutlierEjection::ejectionCount).containsExactly(1, 2, 2);
  }

  @Test
  void failuresWhileEjectedAreIgnored() {
    OutlierDetector detector = detector(SETTINGS, 4);
    OutlierDetector.Instance instance = detector.instance("i0");
    failTimes(detector, instance, 3);

    failTimes(detector, instance, 10);
    ticker.advance(Duration.ofSeconds(10));

    assertThat(detector.isEjected(instance)).isFalse();
    assertThat(ejections).hasSize(1);
  }

  @Test
  void neverEjectsMoreThanTheMaximumShare() {
    OutlierSettings twentyPercent = new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 20.0, 50.0);
    OutlierDetector detector = detector(twentyPercent, 10);

    for (int i = 0; i < 3; i++) {
      failTimes(detector, detector.instance("i" + i), 3);
    }

    assertThat(detector.snapshot()).filteredOn(OutlierDetector.InstanceOutlierState::ejected)
        .extracting(OutlierDetector.InstanceOutlierState::instanceId)
        .containsExactly("i0", "i1");
    OutlierDetector.Instance third = detector.instance("i2");
    ticker.advance(Duration.ofSeconds(10));
    detector.onFailure(third);
    assertThat(detector.isEjected(third)).as("ejected once there is room again").isTrue();
  }

  @Test
  void ejectsOneInstanceEvenWhenTheShareRoundsDownToNone() {
    OutlierDetector detector = detector(new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 10.0, 50.0), 3);

    failTimes(detector, detector.instance("i0"), 3);
    failTimes(detector, detector.instance("i1"), 3);

    assertThat(ejections).extracting(OutlierEjection::instanceId).containsExactly("i0");
  }

  @Test
  void ejectsNothingWhenTheShareIsZero() {
    OutlierDetector detector = detector(new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 0.0, 50.0), 3);

    failTimes(detector, detector.instance("i0"), 10);

    assertThat(ejections).isEmpty();
  }

  @Test
  void validationReportsEveryViolation() {
    OutlierSettings bad = new OutlierSettings(0, Duration.ofSeconds(30), Duration.ofSeconds(10), 101.0, -1.0);

    assertThat(bad.validate()).extracting(Violation::path).containsExactly(
        "consecutiveFailures", "maxEjectionTime", "maxEjectedPercent", "panicThresholdPercent");
    assertThat(OutlierSettings.DEFAULTS.validate()).isEmpty();
  }

  @Test
  void theCapHoldsWhenManyInstancesFailAtOnce() throws Exception {
    OutlierSettings tenPercent = new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 10.0, 50.0);
    OutlierDetector detector = detector(tenPercent, 20);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            detector.onFailure(detector.instance("i" + ThreadLocalRandom.current().nextInt(20)));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(detector.snapshot()).filteredOn(OutlierDetector.InstanceOutlierState::ejected).hasSize(2);
    assertThat(ejections).hasSize(2);
  }
}
