package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection for one service: consecutive failures eject an instance for a time that
 * grows with repeated ejections (Envoy's consecutive-5xx detection).
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>The proxy reports each finished call to an instance: {@link #onFailure} for a 5xx answer or a
 *       connect failure, {@link #onSuccess} otherwise. A success sets the instance's consecutive
 *       failure count to 0.
 *   <li>When the count reaches {@code consecutiveFailures} the instance is ejected for {@code
 *       baseEjectionTime × n}, capped at {@code maxEjectionTime}, where n is its ejection count
 *       including this one. The count decays: it drops by one for each full {@code baseEjectionTime}
 *       the instance spent back in service since its last ejection ended.
 *   <li>An ejection is skipped while {@code maxEjectedPercent} of the registered instances (rounded
 *       down, but at least one when the percentage is above 0) are already ejected; the failure count
 *       stays, so the next failure tries again.
 *   <li>An ejected instance returns by itself when its time is up ({@link #isEjected} turns false);
 *       outcomes reported while it is ejected are ignored, and its failure count restarts at 0.
 * </ul>
 *
 * <p>Thread-safe; reporting outcomes and asking {@link #isEjected} are lock-free and allocation-free.
 * The rare ejection itself is serialised by a try-flag (never waited on) so the cap holds exactly.
 */
public final class OutlierDetector {
  private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

  private final OutlierSettings settings;
  private final Ticker ticker;
  private final Consumer<OutlierEjection> listener;
  private final long baseNanos;
  private final long maxNanos;
  private final ConcurrentHashMap<String, Instance> instances = new ConcurrentHashMap<>();
  private final AtomicBoolean ejecting = new AtomicBoolean();

  /**
   * @param listener told about each ejection, on the reporting thread: hand it off and return
   * @throws IllegalArgumentException if {@code settings.validate()} reports violations
   */
  public OutlierDetector(OutlierSettings settings, Ticker ticker, Consumer<OutlierEjection> listener) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid outlier settings: " + violations);
    }
    this.settings = settings;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.baseNanos = settings.baseEjectionTime().toNanos();
    this.maxNanos = settings.maxEjectionTime().toNanos();
  }

  public OutlierSettings settings() {
    return settings;
  }

  /** The tracked state of an instance, created on first use; keep it and pass it with each outcome. */
  public Instance instance(String instanceId) {
    return instances.computeIfAbsent(instanceId, Instance::new);
  }

  /** Stops tracking an instance the registry no longer lists (it no longer counts towards the cap). */
  public void forgetInstance(String instanceId) {
    instances.remove(instanceId);
  }

  /** Reports a call that the instance answered without a 5xx. */
  public void onSuccess(Instance instance) {
    if (instance.consecutiveFailures.get() != 0) {
      instance.consecutiveFailures.set(0);
    }
  }

  /** Reports a 5xx answer or a connect failure from the instance. */
  public void onFailure(Instance instance) {
    long now = ticker.nanos();
    if (instance.isEjectedAt(now)) {
      return;
    }
    if (instance.consecutiveFailures.incrementAndGet() >= settings.consecutiveFailures()) {
      tryEject(instance, now);
    }
  }

  /** Whether the instance is out of rotation now. */
  public boolean isEjected(Instance instance) {
    return instance.isEjectedAt(ticker.nanos());
  }

  /**
   * When the instance's current or last ejection ends, on this detector's ticker, or {@link
   * Long#MIN_VALUE} when it was never ejected. Compare with the ticker's now to tell whether it is out.
   */
  public long ejectedUntilNanos(Instance instance) {
    Ejection ejection = instance.ejection;
    return ejection == null ? Long.MIN_VALUE : ejection.untilNanos;
  }

  /** Every tracked instance now, sorted by id. */
  public List<InstanceOutlierState> snapshot() {
    long now = ticker.nanos();
    List<InstanceOutlierState> states = new ArrayList<>(instances.size());
    for (Instance instance : instances.values()) {
      Ejection ejection = instance.ejection;
      boolean ejected = ejection != null && ejection.untilNanos - now > 0;
      states.add(
          new InstanceOutlierState(
              instance.id,
              instance.consecutiveFailures.get(),
              ejected,
              ejected ? ejection.untilNanos : null,
              ejection == null ? 0 : ejection.count));
    }
    states.sort(Comparator.comparing(InstanceOutlierState::instanceId));
    return states;
  }

  private void tryEject(Instance instance, long now) {
    if (!ejecting.compareAndSet(false, true)) {
      return;
    }
    OutlierEjection ejected = null;
    try {
      if (instance.isEjectedAt(now) || instance.consecutiveFailures.get() < settings.consecutiveFailures()) {
        return;
      }
      int total = 0;
      int alreadyEjected = 0;
      for (Instance other : instances.values()) {
        total++;
        if (other.isEjectedAt(now)) {
          alreadyEjected++;
        }
      }
      if (alreadyEjected >= maxEjected(Math.max(total, 1))) {
        return;
      }
      Ejection previous = instance.ejection;
      int count = 1;
      if (previous != null) {
        long backFor = now - previous.untilNanos;
        long decay = backFor / baseNanos;
        count = (int) Math.max(0L, previous.count - decay) + 1;
      }
      long duration = count > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * count);
      instance.ejection = new Ejection(count, now + duration);
      instance.consecutiveFailures.set(0);
      ejected = new OutlierEjection(
          instance.id,
          count,
          duration,
          now + duration,
          settings.consecutiveFailures() + " consecutive failures; ejected for "
              + OperatorText.seconds(duration) + " (ejection " + count + ")");
    } finally {
      ejecting.set(false);
    }
    try {
      listener.accept(ejected);
    } catch (RuntimeException e) {
      LOG.warn("outlier listener failed on ejection of {}", instance.id, e);
    }
  }

  /** Instances that may be ejected at once out of {@code total}. */
  int maxEjected(int total) {
    if (settings.maxEjectedPercent() <= 0.0) {
      return 0;
    }
    return Math.max(1, (int) Math.floor(total * settings.maxEjectedPercent() / 100.0 + 1e-9));
  }

  /** One instance's outlier state; owned by its detector. */
  public static final class Instance {
    private final String id;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile @Nullable Ejection ejection;

    private Instance(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    boolean isEjectedAt(long now) {
      Ejection current = ejection;
      return current != null && current.untilNanos - now > 0;
    }
  }

  private record Ejection(int count, long untilNanos) {}

  /**
   * One instance as outlier detection sees it.
   *
   * @param ejectedUntilNanos when it returns, on the detector's ticker; null when not ejected
   * @param ejectionCount its latest ejection count (0 if never ejected)
   */
  public record InstanceOutlierState(
      String instanceId, int consecutiveFailures, boolean ejected, @Nullable Long ejectedUntilNanos, int ejectionCount) {}
}
