package dev.sluice.agent.telemetry;

import io.netty.util.internal.PlatformDependent;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code sluice.access} logger. Event loops only enqueue an
 * {@link Entry} into a lock-free queue; a daemon thread formats and logs, so formatting and I/O never
 * run on an event loop. A full queue drops the line (counted) rather than blocking traffic.
 */
public final class AccessLog implements AutoCloseable {

    public static final String LOGGER_NAME = "sluice.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final int CAPACITY = 65_536;

    private final Queue<Entry> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;

    public AccessLog() {
        writer = new Thread(this::drainLoop, "sluice-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one line; safe and non-blocking on any thread. */
    public void log(Entry entry) {
        if (!queue.offer(entry)) {
            dropped.increment();
        }
    }

    public long dropped() {
        return dropped.sum();
    }

    private void drainLoop() {
        StringBuilder line = new StringBuilder(256);
        while (running || !queue.isEmpty()) {
            Entry entry = queue.poll();
            if (entry == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            line.setLength(0);
            entry.appendTo(line);
            LOG.info(line.toString());
        }
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One request as the access log shows it. {@code status} 0 means no response was sent (the
     * client left or the stream broke); {@code upstream} is "-" when none was contacted.
     */
    public record Entry(
            long epochMillis,
            String requestId,
            String client,
            String method,
            String uri,
            String route,
            int status,
            String upstream,
            long bytesIn,
            long bytesOut,
            long durationNanos) {

        void appendTo(StringBuilder b) {
            b.append(Instant.ofEpochMilli(epochMillis))
                    .append(" id=").append(requestId)
                    .append(" client=").append(client)
                    .append(" \"").append(method).append(' ').append(uri).append('"')
                    .append(" route=").append(route)
                    .append(" status=").append(status == 0 ? "-" : Integer.toString(status))
                    .append(" upstream=").append(upstream)
                    .append(" in=").append(bytesIn)
                    .append(" out=").append(bytesOut)
                    .append(" ms=").append(durationNanos / 1_000_000).append('.')
                    .append((durationNanos / 100_000) % 10);
        }
    }
}
