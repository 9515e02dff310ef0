package dev.sluice.console.routes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rolling figures (p50, p99, RPS) of every tree node for the detail chart, by column: one ring
 * of frame times shared by all nodes, and per page of {@value #PAGE} nodes one array per figure
 * ({@link RouteHistory#CAPACITY} points a node). A point costs 8 bytes and no object; latencies are
 * kept log-coded in 16 bits (exact below 1.5 ms, within 0.02 % above). Thread-safe: frames may be
 * written off the UI thread while the detail view reads one node's points.
 * Slots are never given back: a node keeps its column for the ring's life.
 */
final class RollingRing {
  static final int PAGE = 256;
  /** Codes per unit of ln(1 + µs): 65,535 codes reach {@code Integer.MAX_VALUE} µs. */
  private static final double SCALE = 3000;

  private final int capacity;
  private final int pageSlots;
  private final long[] frameMillis;
  private long frames;
  private final List<Page> pages = new ArrayList<>();
  private long[] firstFrame = new long[0];
  private long[] lastFrame = new long[0];
  private int slots;

  /** A ring of {@code capacity} frames, growing by {@code pageSlots} nodes at a time. */
  RollingRing(int capacity, int pageSlots) {
    this.capacity = capacity;
    this.pageSlots = pageSlots;
    this.frameMillis = new long[capacity];
  }

  synchronized int newSlot() {
    int slot = slots++;
    if (slot >= firstFrame.length) {
      firstFrame = Arrays.copyOf(firstFrame, Math.max(pageSlots, firstFrame.length * 2));
      lastFrame = Arrays.copyOf(lastFrame, firstFrame.length);
    }
    firstFrame[slot] = -1;
    lastFrame[slot] = -1;
    if (slot / pageSlots >= pages.size()) {
      pages.add(new Page(pageSlots * capacity));
    }
    return slot;
  }

  /**
   * Writes the slot's point for the frame at {@code epochMillis}; the first write with a new time
   * starts the next frame. A slot that missed a frame starts over, so no point is ever stale.
   */
  synchronized void write(int slot, long epochMillis, long p50Micros, long p99Micros, double rps) {
    if (frames == 0 || frameMillis[(int) ((frames - 1) % capacity)] != epochMillis) {
      frameMillis[(int) (frames % capacity)] = epochMillis;
      frames++;
    }
    long frame = frames - 1;
    if (lastFrame[slot] != frame - 1 || firstFrame[slot] < 0) {
      firstFrame[slot] = frame;
    }
    lastFrame[slot] = frame;
    Page page = pages.get(slot / pageSlots);
    int at = (slot % pageSlots) * capacity + (int) (frame % capacity);
    page.p50[at] = encode(p50Micros);
    page.p99[at] = encode(p99Micros);
    page.rps[at] = (float) rps;
  }

  /** The slot's points up to the newest frame it was written in, oldest first. */
  synchronized Points read(int slot) {
    long last = lastFrame[slot];
    if (last < 0 || last != frames - 1) {
      return Points.NONE;
    }
    long first = Math.max(firstFrame[slot], frames - capacity);
    int n = (int) (last - first + 1);
    Points out = new Points(new long[n], new long[n], new long[n], new float[n]);
    Page page = pages.get(slot / pageSlots);
    int base = (slot % pageSlots) * capacity;
    for (int i = 0; i < n; i++) {
      int at = (int) ((first + i) % capacity);
      out.epochMillis[i] = frameMillis[at];
      out.p50[i] = decode(page.p50[base + at]);
      out.p99[i] = decode(page.p99[base + at]);
      out.rps[i] = page.rps[base + at];
    }
    return out;
  }

  /** 0 for an absent (negative) latency, else 1 + the scaled log. */
  static char encode(long micros) {
    if (micros < 0) {
      return 0;
    }
    long code = 1 + Math.round(Math.log1p(Math.min(micros, Integer.MAX_VALUE)) * SCALE);
    return (char) Math.min(Character.MAX_VALUE, code);
  }

  static long decode(char code) {
    return code == 0 ? -1 : Math.round(Math.expm1((code - 1) / SCALE));
  }

  /** One node's points, copied out, oldest first. */
  record Points(long[] epochMillis, long[] p50, long[] p99, float[] rps) {
    static final Points NONE = new Points(new long[0], new long[0], new long[0], new float[0]);

    int size() {
      return epochMillis.length;
    }
  }

  private static final class Page {
    final char[] p50;
    final char[] p99;
    final float[] rps;

    Page(int points) {
      p50 = new char[points];
      p99 = new char[points];
      rps = new float[points];
    }
  }
}
