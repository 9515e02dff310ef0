package dev.sluice.agent.config;

import java.time.Duration;

/**
 * What one client connection of a listener may send before the gateway refuses it: the request line
 * (414), the header section's size and field count (431), the request body when the route sets no
 * {@code maxBodySize} (413), how long the request head may take to arrive and how long a request body
 * may stall (408: the slow-loris and slow-POST defences), and how many connections the listener holds
 * open at once (more are closed on accept).
 */
public record ListenerLimits(
        int maxRequestLineLength,
        int maxHeaderSize,
        int maxHeaderCount,
        long maxBodySize,
        int maxConnections,
        Duration headerReadTimeout,
        Duration bodyReadTimeout) {

    public static final ListenerLimits DEFAULTS = new ListenerLimits(
            8 * 1024, 16 * 1024, 100, 64L * 1024 * 1024, 10_000, Duration.ofSeconds(10), Duration.ofSeconds(30));
}
