package dev.sluice.console.routes;

import dev.sluice.console.telemetry.LatencyHistogram;
import dev.sluice.console.telemetry.RouteSample;
import dev.sluice.console.telemetry.StatusCounts;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A route's last minute of traffic in six 10-second slots of summed histogram buckets, status
 * classes and 429s, for the detail view's "last minute" figures. Its arrays are made on the first
 * sample with traffic and reused from then on, so idle routes cost a few bytes and busy ones
 * allocate nothing per frame. Written while a frame is prepared off the UI thread and read by the
 * detail view on it, hence synchronized.
 */
final class MinuteWindow {
  static final int SLOTS = 6;
  static final long SLOT_SECONDS = 10;
  /** Per slot: requests, 429s, then the five status classes. */
  private static final int FIGURES = 7;

  private long[] bounds = new long[0];
  /** Counts per slot and bucket: ints, as ten seconds of one route stay far below 2^31. */
  private int @Nullable [] buckets;
  private long @Nullable [] figures;
  private final long[] slotOf = new long[SLOTS];

  MinuteWindow() {
    Arrays.fill(slotOf, Long.MIN_VALUE);
  }

  synchronized void add(long epochSecond, RouteSample sample) {
    if (sample.requests() == 0 && sample.rateLimited() == 0) {
      return;
    }
    LatencyHistogram h = sample.histogram();
    int width = h.bucketCount();
    if (buckets == null || !sameBounds(h)) {
      bounds = new long[Math.max(0, width - 1)];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = h.upperBoundMicros(i);
      }
      buckets = new int[SLOTS * (bounds.length + 1)];
      figures = new long[SLOTS * FIGURES];
      Arrays.fill(slotOf, Long.MIN_VALUE);
    }
    long slot = Math.floorDiv(epochSecond, SLOT_SECONDS);
    int at = (int) Math.floorMod(slot, (long) SLOTS);
    int stride = bounds.length + 1;
    if (slotOf[at] != slot) {
      slotOf[at] = slot;
      Arrays.fill(buckets, at * stride, (at + 1) * stride, 0);
      Arrays.fill(figures, at * FIGURES, (at + 1) * FIGURES, 0);
    }
    if (h.total() > 0 && width == stride) {
      for (int i = 0; i < stride; i++) {
        buckets[at * stride + i] += (int) Math.min(Integer.MAX_VALUE, h.count(i));
      }
    }
    StatusCounts s = sample.statuses();
    int f = at * FIGURES;
    figures[f] += sample.requests();
    figures[f + 1] += sample.rateLimited();
    figures[f + 2] += s.informational();
    figures[f + 3] += s.success();
    figures[f + 4] += s.redirection();
    figures[f + 5] += s.clientError();
    figures[f + 6] += s.serverError();
  }

  private boolean sameBounds(LatencyHistogram h) {
    if (h.total() == 0 && h.bucketCount() == 1) {
      return true;
    }
    if (h.bucketCount() != bounds.length + 1) {
      return false;
    }
    for (int i = 0; i < bounds.length; i++) {
      if (h.upperBoundMicros(i) != bounds[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean live(int at, long nowEpochSecond) {
    long newest = Math.floorDiv(nowEpochSecond, SLOT_SECONDS);
    return slotOf[at] > newest - SLOTS && slotOf[at] <= newest;
  }

  /** The merged histogram of the slots within the minute up to {@code nowEpochSecond}. */
  synchronized LatencyHistogram histogram(long nowEpochSecond) {
    int[] b = buckets;
    if (b == null) {
      return LatencyHistogram.empty();
    }
    int stride = bounds.length + 1;
    long[] sum = new long[stride];
    for (int at = 0; at < SLOTS; at++) {
      if (live(at, nowEpochSecond)) {
        for (int i = 0; i < stride; i++) {
          sum[i] += b[at * stride + i];
        }
      }
    }
    return LatencyHistogram.of(bounds, sum);
  }

  synchronized StatusCounts statuses(long nowEpochSecond) {
    return new StatusCounts(sum(nowEpochSecond, 2), sum(nowEpochSecond, 3), sum(nowEpochSecond, 4),
        sum(nowEpochSecond, 5), sum(nowEpochSecond, 6));
  }

  synchronized long requests(long nowEpochSecond) {
    return sum(nowEpochSecond, 0);
  }

  synchronized long rateLimited(long nowEpochSecond) {
    return sum(nowEpochSecond, 1);
  }

  private long sum(long nowEpochSecond, int figure) {
    long[] f = figures;
    if (f == null) {
      return 0;
    }
    long total = 0;
    for (int at = 0; at < SLOTS; at++) {
      if (live(at, nowEpochSecond)) {
        total += f[at * FIGURES + figure];
      }
    }
    return total;
  }
}
