package dev.sluice.console.routes;

import java.time.Instant;

/**
 * One tree node's rolling figures (p50, p99, RPS) for the detail chart: its column of the tree's
 * shared {@link RollingRing}, so thousands of nodes keep fifteen minutes at 8 bytes a point with no
 * object per point. Latencies read back log-rounded (exact below 1.5 ms, within 0.02 % above).
 */
public final class RouteHistory {
  /** Fifteen minutes at one frame a second. */
  public static final int CAPACITY = 900;

  private final RollingRing ring;
  private final int slot;

  /** A history with a ring of its own. */
  public RouteHistory() {
    this(new RollingRing(CAPACITY, 1));
  }

  RouteHistory(RollingRing ring) {
    this.ring = ring;
    this.slot = ring.newSlot();
  }

  boolean in(RollingRing other) {
    return ring == other;
  }

  /** Latencies above {@code Integer.MAX_VALUE} µs (35 minutes) are kept as that ceiling. */
  public void add(Instant at, long p50Micros, long p99Micros, double requestsPerSecond) {
    ring.write(slot, at.toEpochMilli(), p50Micros, p99Micros, requestsPerSecond);
  }

  /** The points held now, copied out oldest first: one consistent read for a chart. */
  public Points points() {
    RollingRing.Points p = ring.read(slot);
    return new Points(p);
  }

  public int size() {
    return points().size();
  }

  /** A copy of a history's points, oldest first. */
  public static final class Points {
    private final RollingRing.Points p;

    private Points(RollingRing.Points p) {
      this.p = p;
    }

    public int size() {
      return p.size();
    }

    /** To the millisecond of the frame. */
    public long epochMillis(int i) {
      return p.epochMillis()[i];
    }

    public long p50Micros(int i) {
      return p.p50()[i];
    }

    public long p99Micros(int i) {
      return p.p99()[i];
    }

    public double requestsPerSecond(int i) {
      return p.rps()[i];
    }
  }
}
