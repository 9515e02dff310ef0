package dev.sluice.console.routes;

import java.time.Instant;

/**
 * A route's rolling figures (p50, p99, RPS) for the detail chart: a fixed-size ring of primitives, so
 * thousands of routes keep minutes of history without an object per point.
 */
public final class RouteHistory {
  /** Fifteen minutes at one frame a second. */
  public static final int CAPACITY = 900;

  private final long[] epochMillis = new long[CAPACITY];
  private final long[] p50 = new long[CAPACITY];
  private final long[] p99 = new long[CAPACITY];
  private final double[] rps = new double[CAPACITY];
  private int next;
  private int size;

  public void add(Instant at, long p50Micros, long p99Micros, double requestsPerSecond) {
    epochMillis[next] = at.toEpochMilli();
    p50[next] = p50Micros;
    p99[next] = p99Micros;
    rps[next] = requestsPerSecond;
    next = (next + 1) % CAPACITY;
    size = Math.min(CAPACITY, size + 1);
  }

  public int size() {
    return size;
  }

  private int index(int i) {
    return Math.floorMod(next - size + i, CAPACITY);
  }

  /** Oldest first. */
  public long epochMillis(int i) {
    return epochMillis[index(i)];
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
