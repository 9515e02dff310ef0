package dev.sluice.console.routes;

import java.time.Instant;

/**
 * A route's rolling figures (p50, p99, RPS) for the detail chart: a fixed-size ring of primitives, so
 * thousands of routes keep minutes of history without an object per point.
 */
public final class RouteHistory {
  /** Fifteen minutes at one frame a second. */
  public static final int CAPACITY = 900;

  /** Seconds since the first point; an int keeps each point at 16 bytes. */
  private final int[] secondsSinceBase = new int[CAPACITY];
  private final int[] p50 = new int[CAPACITY];
  private final int[] p99 = new int[CAPACITY];
  private final float[] rps = new float[CAPACITY];
  private long baseEpochMillis = -1;
  private int next;
  private int size;

  /** Latencies above {@code Integer.MAX_VALUE} µs (35 minutes) are kept as that ceiling. */
  public void add(Instant at, long p50Micros, long p99Micros, double requestsPerSecond) {
    if (baseEpochMillis < 0) {
      baseEpochMillis = at.toEpochMilli();
    }
    secondsSinceBase[next] = (int) ((at.toEpochMilli() - baseEpochMillis) / 1000);
    p50[next] = (int) Math.min(Integer.MAX_VALUE, p50Micros);
    p99[next] = (int) Math.min(Integer.MAX_VALUE, p99Micros);
    rps[next] = (float) requestsPerSecond;
    next = (next + 1) % CAPACITY;
    size = Math.min(CAPACITY, size + 1);
  }

  public int size() {
    return size;
  }

  private int index(int i) {
    return Math.floorMod(next - size + i, CAPACITY);
  }

  /** Oldest first, to the second. */
  public long epochMillis(int i) {
    return baseEpochMillis + secondsSinceBase[index(i)] * 1000L;
  }

  public long p50Micros(int i) {
    return p50[index(i)];
  }

  public long p99Micros(int i) {
    return p99[index(i)];
  }

  public double requestsPerSecond(int i) {
    return rps[index(i)];
  }
}
