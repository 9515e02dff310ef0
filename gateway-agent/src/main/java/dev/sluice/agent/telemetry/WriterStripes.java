package dev.sluice.agent.telemetry;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Gives each recording thread, once, a stripe index that no other live thread holds, so that every
 * {@link RouteRecorder} can keep one single-writer histogram per stripe. There are
 * {@link #COUNT} stripes for the whole process; a thread that finds them all held by live threads
 * gets {@link #SHARED} for its lifetime and records into the multi-writer fallback. A stripe held
 * by a thread that has ended is taken over by the next new thread: the old holder's last write
 * happens-before its termination, which the new holder observes through {@link Thread#isAlive}, so
 * each stripe still has one writer at a time.
 */
final class WriterStripes {

  /** Enough for Netty's default two event loops per core and a few other recording threads. */
  static final int COUNT = Math.min(64, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

  /** The index of threads that got no stripe of their own. */
  static final int SHARED = -1;

  private static final AtomicReferenceArray<Thread> holders = new AtomicReferenceArray<>(COUNT);
  private static final ThreadLocal<Stripe> current = ThreadLocal.withInitial(WriterStripes::claim);

  private WriterStripes() {
  }

  /** The calling thread's stripe index, or {@link #SHARED}; no allocation after its first call. */
  static int current() {
    return current.get().index;
  }

  private static Stripe claim() {
    Thread self = Thread.currentThread();
    for (int i = 0; i < COUNT; i++) {
      Thread holder = holders.get(i);
      if ((holder == null || !holder.isAlive()) && holders.compareAndSet(i, holder, self)) {
        return new Stripe(i);
      }
    }
    return new Stripe(SHARED);
  }

  private record Stripe(int index) {
  }
}
