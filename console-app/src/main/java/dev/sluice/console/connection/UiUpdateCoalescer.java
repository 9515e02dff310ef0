package dev.sluice.console.connection;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The one place where gateway data crosses onto the UI thread. It collects what a
 * {@link GatewayClient} reports on background threads and applies it as a single {@link UiBatch},
 * at most once per {@code minGap} (100 ms: ten applications a second), however fast data arrives.
 * As an {@link Executor} it also runs one-off UI tasks (e.g. a mutation's outcome) on the same path.
 */
public final class UiUpdateCoalescer implements GatewayListener, Executor {
  /** Delays a task; in the console a daemon timer, in tests a manual one. */
  public interface Scheduler {
    void schedule(Runnable task, long delayNanos);
  }

  private final Executor uiThread;
  private final Scheduler scheduler;
  private final LongSupplier nanoTime;
  private final long minGapNanos;
  private final Consumer<UiBatch> sink;
  private final @Nullable UnaryOperator<UiBatch> prepare;

  private final AtomicReference<@Nullable ConnectionState> state = new AtomicReference<>();
  private final AtomicReference<UiBatch.@Nullable Attached> attached = new AtomicReference<>();
  private final AtomicReference<@Nullable Snapshot> snapshot = new AtomicReference<>();
  private final ConcurrentLinkedQueue<TelemetryFrame> frames = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private volatile long lastFlushNanos;

  /**
   * @param uiThread runs a task on the UI thread ({@code Platform::runLater} in the console)
   * @param sink applies a batch; always called on the UI thread
   */
  public UiUpdateCoalescer(
      Executor uiThread,
      Scheduler scheduler,
      LongSupplier nanoTime,
      Duration minGap,
      Consumer<UiBatch> sink) {
    this(uiThread, scheduler, nanoTime, minGap, null, sink);
  }

  /**
   * @param prepare works a batch out off the UI thread (on the scheduler's thread) before it is
   *     handed to {@code sink}; null to collect and apply on the UI thread
   */
  public UiUpdateCoalescer(
      Executor uiThread,
      Scheduler scheduler,
      LongSupplier nanoTime,
      Duration minGap,
      @Nullable UnaryOperator<UiBatch> prepare,
      Consumer<UiBatch> sink) {
    this.prepare = prepare;
    this.uiThread = uiThread;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.minGapNanos = minGap.toNanos();
    this.sink = sink;
    this.lastFlushNanos = nanoTime.getAsLong() - minGapNanos;
  }

  @Override
  public void onState(ConnectionState next) {
    state.set(next);
    requestFlush();
  }

  @Override
  public void onAttached(AgentInfo agent, Session session) {
    attached.set(new UiBatch.Attached(agent, session));
    requestFlush();
  }

  @Override
  public void onSnapshot(Snapshot next) {
    snapshot.set(next);
    requestFlush();
  }

  @Override
  public void onTelemetry(TelemetryFrame frame) {
    frames.add(frame);
    requestFlush();
  }

  @Override
  public void onEvent(Event event) {
    events.add(event);
    requestFlush();
  }

  /** Runs {@code task} on the UI thread with the next batch (after it is applied). */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    requestFlush();
  }

  private static final java.util.concurrent.ScheduledExecutorService TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-ui-coalescer");
        t.setDaemon(true);
        return t;
      });

  /** The console's coalescer: batches land on the JavaFX application thread, ten a second at most. */
  public static UiUpdateCoalescer onFxThread(Consumer<UiBatch> sink) {
    return onFxThread(null, sink);
  }

  /**
   * As {@link #onFxThread(Consumer)}, with each batch first worked out by {@code prepare} on the
   * coalescer's own thread, so the FX thread only shows ready results.
   */
  public static UiUpdateCoalescer onFxThread(
      @Nullable UnaryOperator<UiBatch> prepare, Consumer<UiBatch> sink) {
    return new UiUpdateCoalescer(
        javafx.application.Platform::runLater,
        (task, delayNanos) ->
            TIMER.schedule(task, delayNanos, java.util.concurrent.TimeUnit.NANOSECONDS),
        System::nanoTime,
        Duration.ofMillis(100),
        prepare,
        sink);
  }

  private void requestFlush() {
    if (flushPending.compareAndSet(false, true)) {
      long wait = Math.max(0, lastFlushNanos + minGapNanos - nanoTime.getAsLong());
      UnaryOperator<UiBatch> work = prepare;
      if (work == null) {
        scheduler.schedule(() -> uiThread.execute(() -> apply(collect())), wait);
      } else {
        scheduler.schedule(() -> {
          UiBatch batch = collect();
          UiBatch ready = batch;
          try {
            ready = batch.isEmpty() ? batch : work.apply(batch);
          } catch (RuntimeException e) {
            // The sink then works the plain batch out on the UI thread, as without preparation.
          }
          UiBatch applied = ready;
          uiThread.execute(() -> apply(applied));
        }, wait);
      }
    }
  }

  private UiBatch collect() {
    lastFlushNanos = nanoTime.getAsLong();
    flushPending.set(false);
    return new UiBatch(
        state.getAndSet(null),
        attached.getAndSet(null),
        snapshot.getAndSet(null),
        drain(frames),
        drain(events));
  }

  private void apply(UiBatch batch) {
    if (!batch.isEmpty()) {
      sink.accept(batch);
    }
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run();
    }
  }

  private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
    if (queue.isEmpty()) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    for (T item = queue.poll(); item != null; item = queue.poll()) {
      out.add(item);
    }
    return out;
  }
}
