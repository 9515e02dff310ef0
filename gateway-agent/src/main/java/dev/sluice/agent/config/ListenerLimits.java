package dev.sluice.agent.config;

import java.time.Duration;

/**
 * What one client connection of a listener may send before the gateway refuses it: the request line
 * (414), the header section's size and field count (431), the request body when the route sets no
 * {@code maxBodyBytes} (413), how long the request head may take to arrive (408, the slow-loris
 * defence), and how many connections the listener holds open at once (more are closed on accept).
 */
public record ListenerLimits(
        int maxRequestLineLength,
        int maxHeaderSize,
        int maxHeaderCount,
        long maxBodySize,
        int maxConnections,
        Duration headerReadTimeout) {

    public static final ListenerLimits DEFAULTS = new ListenerLimits(
            8 * 1024, 16 * 1024, 100, 64L * 1024 * 1024, 10_000, Duration.ofSeconds(10));
}
