package dev.sluice.agent.telemetry;

import dev.sluice.agent.telemetry.RouteTraffic.ErrorCounts;
import dev.sluice.agent.telemetry.RouteTraffic.StatusCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-route summaries at a fixed resolution (10 s) over a fixed retention (6 h, 2,160 steps), fed
 * by the {@link TelemetryHub}'s ticks, bounded in memory.
 *
 * <p>Layout: each route's points are bit-packed into blocks of up to {@value #POINTS_PER_BLOCK}
 * steps, each sealed block a bare {@code byte[]}. A point stores its exact request count, and p50
 * plus the gaps p50→p90→p99→max as indexes on a 5 % log scale (values come back within ±2.5 %),
 * each as its difference from the field's recent average, Rice-coded with a parameter that adapts
 * to the route's own noise. Only where non-zero: other status classes, error causes, the
 * rate-limited count and idle steps skipped. A busy point costs about 3 bytes, an idle step
 * nothing. Not kept, to stay within the budget at 10,000 busy routes (measured by
 * {@code bench/.../HistoryMemoryBench}, see bench/README.md): p99.9 (~0.4 byte a point more) and
 * latency bucket counts (~12 bytes more).
 *
 * <p>Bound: {@code maxBytes} (64 MiB by default) caps everything the ring holds (see
 * {@link #estimatedBytes()}); when it is reached the oldest blocks of all routes are dropped first,
 * so under that load retention shrinks rather than memory grows.
 */
public final class HistoryRing {

  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(10);
  public static final int DEFAULT_STEPS = 2_160;
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  static final int POINTS_PER_BLOCK = 240;
  /** Array header, alignment and deque slot of one sealed block. */
  static final int BLOCK_OVERHEAD_BYTES = 24;
  /** Map entry, route ring, its deque and the open block's writer (without its buffer). */
  static final int ROUTE_OVERHEAD_BYTES = 400;
  private static final double LOG_STEP = Math.log(1.05);

  private final long resolutionMillis;
  private final int steps;
  private final long maxBytes;

  // Guarded by this; written by the ticker thread, read by admin calls.
  private final Map<String, RouteRing> routes = new HashMap<>();
  private long sealedBytes;
  private long currentStep = Long.MIN_VALUE;
  private long lastCompletedStep = Long.MIN_VALUE;
  private final Map<String, RouteSample> accumulating = new HashMap<>();

  public HistoryRing(Duration resolution, int steps, long maxBytes) {
    if (resolution.toMillis() < 1 || steps < 1 || maxBytes < 0) {
      throw new IllegalArgumentException("resolution, steps and maxBytes must be positive");
    }
    this.resolutionMillis = resolution.toMillis();
    this.steps = steps;
    this.maxBytes = maxBytes;
  }

  /** 10 s × 2,160 steps (6 h) within 64 MiB. */
  public static HistoryRing standard() {
    return new HistoryRing(DEFAULT_RESOLUTION, DEFAULT_STEPS, DEFAULT_MAX_BYTES);
  }

  public Duration resolution() {
    return Duration.ofMillis(resolutionMillis);
  }

  public Duration retention() {
    return Duration.ofMillis(resolutionMillis * steps);
  }

  /**
   * Adds a tick's traffic to its step; a tick in a later step completes the current one. The hub
   * calls this; benchmarks feed synthetic ticks through it.
   */
  public synchronized void accept(TelemetryTick tick) {
    long step = Math.floorDiv(tick.start().toEpochMilli(), resolutionMillis);
    if (currentStep != Long.MIN_VALUE && step > currentStep) {
      completeStep();
    }
    if (step > currentStep) {
      currentStep = step;
    }
    for (Map.Entry<String, RouteSample> entry : tick.routes().entrySet()) {
      accumulating.merge(entry.getKey(), entry.getValue(), RouteSample::plus);
    }
  }

  /** Completes the step in progress now (the hub does this on close; tests use it). */
  public synchronized void flush() {
    if (currentStep != Long.MIN_VALUE) {
      completeStep();
    }
  }

  private void completeStep() {
    for (Map.Entry<String, RouteSample> entry : accumulating.entrySet()) {
      RouteTraffic traffic = entry.getValue().traffic();
      if (traffic.isIdle()) {
        continue;
      }
      RouteRing ring = routes.computeIfAbsent(entry.getKey(), RouteRing::new);
      ring.pathPattern = entry.getValue().pathPattern();
      ring.append(currentStep, traffic);
    }
    accumulating.clear();
    lastCompletedStep = currentStep;
    long oldestKept = currentStep - steps + 1;
    for (RouteRing ring : routes.values()) {
      ring.dropBlocksEndingBefore(oldestKept);
      if (ring.open != null && ring.open.lastStep < oldestKept) {
        ring.open = null;
      }
    }
    while (sealedBytes > maxBytes && dropOldestBlocks()) {
      // Each round drops the oldest sealed block(s) of every route that has the oldest one.
    }
    routes.values().removeIf(RouteRing::isEmpty);
  }

  /** Drops, across routes, the sealed blocks that end at the earliest step any sealed block ends. */
  private boolean dropOldestBlocks() {
    long earliest = Long.MAX_VALUE;
    for (RouteRing ring : routes.values()) {
      byte[] first = ring.blocks.peekFirst();
      if (first != null) {
        earliest = Math.min(earliest, BlockHeader.lastStep(first));
      }
    }
    if (earliest == Long.MAX_VALUE) {
      return false;
    }
    for (RouteRing ring : routes.values()) {
      ring.dropBlocksEndingBefore(earliest + 1);
    }
    return true;
  }

  /**
   * The points of every route matching the filter whose step starts in {@code [from, to)} (null:
   * unbounded), routes in id order. Only completed steps are included. Materializes everything;
   * for large answers use {@link #reader}.
   */
  public List<RouteHistory> read(@Nullable Instant from, @Nullable Instant to, RouteFilter filter) {
    List<RouteHistory> result = new ArrayList<>();
    reader(from, to, filter).forEachRemaining(result::add);
    return result;
  }

  /**
   * Like {@link #read}, but decodes one route at a time as the iterator advances, so that an
   * answer over thousands of routes never sits in memory decoded all at once. The ring is only
   * locked while the reader is made (sealed blocks are immutable and shared; open ones copied).
   */
  public Iterator<RouteHistory> reader(
      @Nullable Instant from, @Nullable Instant to, RouteFilter filter) {
    TreeMap<String, List<byte[]>> snapshot = new TreeMap<>();
    Map<String, String> paths = new HashMap<>();
    long oldestKept;
    synchronized (this) {
      oldestKept = lastCompletedStep == Long.MIN_VALUE ? Long.MIN_VALUE : lastCompletedStep - steps;
      for (RouteRing ring : routes.values()) {
        if (!filter.matches(ring.routeId, ring.pathPattern)) {
          continue;
        }
        List<byte[]> blocks = new ArrayList<>(ring.blocks);
        if (ring.open != null) {
          blocks.add(ring.open.sealedCopy());
        }
        snapshot.put(ring.routeId, blocks);
        paths.put(ring.routeId, ring.pathPattern);
      }
    }
    Iterator<Map.Entry<String, List<byte[]>>> routesLeft = snapshot.entrySet().iterator();
    return new Iterator<>() {
      private @Nullable RouteHistory next = advance();

      private @Nullable RouteHistory advance() {
        while (routesLeft.hasNext()) {
          Map.Entry<String, List<byte[]>> entry = routesLeft.next();
          List<HistoryPoint> points = new ArrayList<>();
          for (byte[] block : entry.getValue()) {
            BlockReader.decode(block, resolutionMillis, oldestKept, from, to, points);
          }
          if (!points.isEmpty()) {
            return new RouteHistory(entry.getKey(), paths.get(entry.getKey()), points);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public RouteHistory next() {
        RouteHistory current = next;
        if (current == null) {
          throw new NoSuchElementException();
        }
        next = advance();
        return current;
      }
    };
  }

  /** Bytes held by the ring: sealed and open blocks plus the per-block and per-route overheads. */
  public synchronized long estimatedBytes() {
    long bytes = sealedBytes + (long) routes.size() * ROUTE_OVERHEAD_BYTES;
    for (RouteRing ring : routes.values()) {
      if (ring.open != null) {
        bytes += ring.open.bufferBytes();
      }
    }
    return bytes;
  }

  public synchronized int routeCount() {
    return routes.size();
  }

  /** The step of the oldest point the ring still holds, as a time; null when it holds none. */
  public synchronized @Nullable Instant oldestPoint() {
    long oldest = Long.MAX_VALUE;
    for (RouteRing ring : routes.values()) {
      byte[] first = ring.blocks.peekFirst();
      if (first != null) {
        oldest = Math.min(oldest, BlockHeader.firstStep(first));
      } else if (ring.open != null) {
        oldest = Math.min(oldest, ring.open.firstStep);
      }
    }
    return oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest * resolutionMillis);
  }

  private final class RouteRing {
    final String routeId;
    String pathPattern = "";
    long lastStep = Long.MIN_VALUE;
    final ArrayDeque<byte[]> blocks = new ArrayDeque<>(4);
    @Nullable BlockWriter open;

    RouteRing(String routeId) {
      this.routeId = routeId;
    }

    void append(long step, RouteTraffic traffic) {
      if (step <= lastStep) {
        return; // the step was completed early by flush(); a point per step at most
      }
      lastStep = step;
      if (open == null) {
        open = new BlockWriter(step);
      }
      open.append(step, traffic);
      if (open.points == POINTS_PER_BLOCK) {
        byte[] sealed = open.sealedCopy();
        blocks.addLast(sealed);
        sealedBytes += sealed.length + BLOCK_OVERHEAD_BYTES;
        open = null;
      }
    }

    void dropBlocksEndingBefore(long step) {
      while (!blocks.isEmpty() && BlockHeader.lastStep(blocks.peekFirst()) < step) {
        sealedBytes -= blocks.pollFirst().length + BLOCK_OVERHEAD_BYTES;
      }
    }

    boolean isEmpty() {
      return blocks.isEmpty() && open == null;
    }
  }

  /**
   * A sealed block starts with its first step (6 bytes: enough for millisecond steps until the
   * year 10889), its last step's distance from the first (4: a sparse route's block may span days)
   * and its point count (2).
   */
  static final class BlockHeader {
    static final int BYTES = 12;

    private BlockHeader() {}

    static long firstStep(byte[] block) {
      return read(block, 0, 6);
    }

    static long lastStep(byte[] block) {
      return firstStep(block) + read(block, 6, 4);
    }

    static int points(byte[] block) {
      return (int) read(block, 10, 2);
    }

    static void write(byte[] block, long firstStep, long lastStep, int points) {
      put(block, 0, 6, firstStep);
      put(block, 6, 4, lastStep - firstStep);
      put(block, 10, 2, points);
    }

    private static long read(byte[] b, int offset, int length) {
      long value = 0;
      for (int i = 0; i < length; i++) {
        value = (value << 8) | (b[offset + i] & 0xffL);
      }
      return value;
    }

    private static void put(byte[] b, int offset, int length, long value) {
      for (int i = 0; i < length; i++) {
        b[offset + length - 1 - i] = (byte) (value >>> (8 * i));
      }
    }
  }

  // Point layout, in bits: 1 "plain" bit (2xx only, no errors, not rate-limited, has latency, no
  // skipped steps), else 6 flag bits; then the fields the flags name, in this order.
  private static final int HAS_SKIP = 1;
  private static final int HAS_REQUESTS = 2;
  private static final int HAS_STATUSES = 4;
  private static final int HAS_ERRORS = 8;
  private static final int HAS_RATE_LIMITED = 16;
  private static final int HAS_LATENCY = 32;
  private static final int PLAIN = HAS_REQUESTS | HAS_LATENCY;
  /** Adaptive fields: requests, p50 index, and the gaps to p90, p99, max. */
  private static final int ADAPTIVE_FIELDS = 5;

  /** The open block of a route: appends points to a growing bit buffer. */
  private static final class BlockWriter {
    final long firstStep;
    long lastStep;
    int points;
    private final BitWriter bits = new BitWriter(64);
    private final long[] previous = new long[ADAPTIVE_FIELDS];
    private final RiceState rice = new RiceState();

    BlockWriter(long firstStep) {
      this.firstStep = firstStep;
      this.lastStep = firstStep - 1;
    }

    void append(long step, RouteTraffic t) {
      long skip = step - lastStep - 1;
      StatusCounts s = t.statuses();
      boolean plainStatuses = s.informational() == 0 && s.redirection() == 0 && s.clientError() == 0
          && s.serverError() == 0 && s.success() == t.requests();
      int flags = (skip > 0 ? HAS_SKIP : 0)
          | (t.requests() != 0 ? HAS_REQUESTS : 0)
          | (plainStatuses ? 0 : HAS_STATUSES)
          | (t.errors().total() != 0 ? HAS_ERRORS : 0)
          | (t.rateLimited() != 0 ? HAS_RATE_LIMITED : 0)
          | (t.latency().totalCount() != 0 ? HAS_LATENCY : 0);
      if (flags == PLAIN) {
        bits.write(1, 1);
      } else {
        bits.write(0, 1);
        bits.write(flags, 6);
      }
      if ((flags & HAS_SKIP) != 0) {
        bits.gamma(skip - 1);
      }
      if ((flags & HAS_REQUESTS) != 0) {
        adaptive(0, t.requests());
      }
      if ((flags & HAS_STATUSES) != 0) {
        bits.gamma(s.informational());
        bits.gamma(s.success());
        bits.gamma(s.redirection());
        bits.gamma(s.clientError());
        bits.gamma(s.serverError());
      }
      if ((flags & HAS_ERRORS) != 0) {
        ErrorCounts e = t.errors();
        bits.gamma(e.upstreamConnect());
        bits.gamma(e.upstreamTimeout());
        bits.gamma(e.upstreamProtocol());
        bits.gamma(e.breakerRejected());
        bits.gamma(e.noInstance());
        bits.gamma(e.rejected());
      }
      if ((flags & HAS_RATE_LIMITED) != 0) {
        bits.gamma(t.rateLimited());
      }
      if ((flags & HAS_LATENCY) != 0) {
        LatencyDistribution l = t.latency();
        long p50 = logIndex(l.valueAtPercentile(50));
        long p90 = Math.max(p50, logIndex(l.valueAtPercentile(90)));
        long p99 = Math.max(p90, logIndex(l.valueAtPercentile(99)));
        long max = Math.max(p99, logIndex(l.max()));
        adaptive(1, p50);
        adaptive(2, p90 - p50);
        adaptive(3, p99 - p90);
        adaptive(4, max - p99);
      }
      points++;
      lastStep = step;
    }

    /**
     * Writes a field as its difference from the field's recent average, Rice-coded with the field's
     * adaptive parameter.
     */
    private void adaptive(int field, long value) {
      long delta = value - Predictor.predict(previous, field);
      long zigzag = (delta << 1) ^ (delta >> 63);
      bits.rice(zigzag, rice.k(field));
      rice.update(field, zigzag);
      Predictor.update(previous, field, value);
    }

    byte[] sealedCopy() {
      byte[] body = bits.toByteArray();
      byte[] block = new byte[BlockHeader.BYTES + body.length];
      BlockHeader.write(block, firstStep, lastStep, points);
      System.arraycopy(body, 0, block, BlockHeader.BYTES, body.length);
      return block;
    }

    long bufferBytes() {
      return bits.capacityBytes();
    }
  }

  /** Decodes a block written by {@link BlockWriter}; the mirror image of its append. */
  private static final class BlockReader {
    private BlockReader() {}

    static void decode(byte[] block, long resolutionMillis, long oldestKept, @Nullable Instant from,
        @Nullable Instant to, List<HistoryPoint> out) {
      BitReader bits = new BitReader(block, BlockHeader.BYTES);
      long[] previous = new long[ADAPTIVE_FIELDS];
      RiceState rice = new RiceState();
      long step = BlockHeader.firstStep(block) - 1;
      int count = BlockHeader.points(block);
      for (int i = 0; i < count; i++) {
        int flags = bits.read(1) == 1 ? PLAIN : (int) bits.read(6);
        step += 1 + ((flags & HAS_SKIP) != 0 ? bits.gamma() + 1 : 0);
        long requests = (flags & HAS_REQUESTS) != 0 ? adaptive(bits, rice, previous, 0) : 0;
        StatusCounts statuses = (flags & HAS_STATUSES) != 0
            ? new StatusCounts(bits.gamma(), bits.gamma(), bits.gamma(), bits.gamma(), bits.gamma())
            : new StatusCounts(0, requests, 0, 0, 0);
        ErrorCounts errors = (flags & HAS_ERRORS) != 0
            ? new ErrorCounts(bits.gamma(), bits.gamma(), bits.gamma(), bits.gamma(), bits.gamma(),
                bits.gamma())
            : ErrorCounts.NONE;
        long rateLimited = (flags & HAS_RATE_LIMITED) != 0 ? bits.gamma() : 0;
        long p50 = 0;
        long p90 = 0;
        long p99 = 0;
        long max = 0;
        if ((flags & HAS_LATENCY) != 0) {
          long i50 = adaptive(bits, rice, previous, 1);
          long i90 = i50 + adaptive(bits, rice, previous, 2);
          long i99 = i90 + adaptive(bits, rice, previous, 3);
          long imax = i99 + adaptive(bits, rice, previous, 4);
          p50 = fromLogIndex(i50);
          p90 = fromLogIndex(i90);
          p99 = fromLogIndex(i99);
          max = fromLogIndex(imax);
        }
        Instant start = Instant.ofEpochMilli(step * resolutionMillis);
        if (step > oldestKept && (from == null || !start.isBefore(from))
            && (to == null || start.isBefore(to))) {
          out.add(new HistoryPoint(start, requests, statuses, errors, rateLimited, p50, p90, p99,
              max));
        }
      }
    }

    private static long adaptive(BitReader bits, RiceState rice, long[] previous, int field) {
      long zigzag = bits.rice(rice.k(field));
      rice.update(field, zigzag);
      long value = Predictor.predict(previous, field) + ((zigzag >>> 1) ^ -(zigzag & 1));
      Predictor.update(previous, field, value);
      return value;
    }
  }

  /**
   * A field's recent average, in sixteenths, moving a quarter of the way to each new value: the
   * noise of a steady route is then coded against its mean rather than against the last (equally
   * noisy) value. Integer arithmetic only, so that writer and reader agree exactly.
   */
  private static final class Predictor {
    private Predictor() {}

    static long predict(long[] average, int field) {
      return (average[field] + 8) >> 4;
    }

    static void update(long[] average, int field, long value) {
      if (average[field] == 0) {
        average[field] = value << 4;
      } else {
        average[field] += ((value << 4) - average[field]) >> 2;
      }
    }
  }

  /**
   * Per field, the running mean of the coded values (as LOCO-I keeps it): the Rice parameter is the
   * smallest k with {@code count << k >= sum}, so it follows each route's own noise.
   */
  private static final class RiceState {
    private final long[] sum = new long[ADAPTIVE_FIELDS];
    private final int[] count = new int[ADAPTIVE_FIELDS];

    RiceState() {
      Arrays.fill(sum, 4);
      Arrays.fill(count, 1);
    }

    int k(int field) {
      int k = 0;
      while (((long) count[field] << k) < sum[field] && k < 62) {
        k++;
      }
      return k;
    }

    void update(int field, long value) {
      sum[field] += Math.min(value, 1L << 40);
      count[field]++;
      if (count[field] == 16) {
        sum[field] >>= 1;
        count[field] >>= 1;
      }
    }
  }

  /** Bits, most significant first, into a growing byte array. */
  private static final class BitWriter {
    private static final int UNARY_LIMIT = 16;
    private byte[] data;
    private long bitLength;

    BitWriter(int initialBytes) {
      data = new byte[initialBytes];
    }

    void write(long value, int count) {
      for (int i = count - 1; i >= 0; i--) {
        int bit = (int) (value >>> i) & 1;
        int index = (int) (bitLength >>> 3);
        if (index == data.length) {
          // Modest growth: the open buffers of 10,000 routes are part of the budget.
          data = Arrays.copyOf(data, data.length + Math.max(32, data.length / 4));
        }
        if (bit != 0) {
          data[index] |= (byte) (0x80 >>> (bitLength & 7));
        }
        bitLength++;
      }
    }

    /** Elias gamma of value + 1: small counts in few bits, any count possible. */
    void gamma(long value) {
      long v = value + 1;
      int bitsOfV = 64 - Long.numberOfLeadingZeros(v);
      write(0, bitsOfV - 1);
      write(v, bitsOfV);
    }

    /** Rice code with parameter k; quotients of {@value #UNARY_LIMIT} or more escape to gamma. */
    void rice(long value, int k) {
      long quotient = value >>> k;
      if (quotient >= UNARY_LIMIT) {
        write((1L << UNARY_LIMIT) - 1, UNARY_LIMIT);
        gamma(value);
        return;
      }
      write(((1L << quotient) - 1) << 1, (int) quotient + 1);
      write(value & ((1L << k) - 1), k);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(data, (int) ((bitLength + 7) >>> 3));
    }

    long capacityBytes() {
      return data.length + 16L;
    }
  }

  private static final class BitReader {
    private final byte[] data;
    private long position;

    BitReader(byte[] data, int offsetBytes) {
      this.data = data;
      this.position = offsetBytes * 8L;
    }

    long read(int count) {
      long value = 0;
      for (int i = 0; i < count; i++) {
        int bit = (data[(int) (position >>> 3)] >>> (7 - (position & 7))) & 1;
        value = (value << 1) | bit;
        position++;
      }
      return value;
    }

    long gamma() {
      int zeros = 0;
      while (read(1) == 0) {
        zeros++;
      }
      long v = 1;
      if (zeros > 0) {
        v = (1L << zeros) | read(zeros);
      }
      return v - 1;
    }

    long rice(int k) {
      int quotient = 0;
      while (quotient < BitWriter.UNARY_LIMIT && read(1) == 1) {
        quotient++;
      }
      if (quotient == BitWriter.UNARY_LIMIT) {
        return gamma();
      }
      return ((long) quotient << k) | read(k);
    }
  }

  static long logIndex(long micros) {
    return micros <= 0 ? 0 : 1 + Math.round(Math.log(micros) / LOG_STEP);
  }

  static long fromLogIndex(long index) {
    return index == 0 ? 0 : Math.round(Math.exp((index - 1) * LOG_STEP));
  }
}
