package dev.sluice.agent.config;

import java.time.Duration;

/**
 * An address the agent listens on. Port 0 asks the OS for any free port (tests use it); the
 * runtime reports the port actually bound. {@code idleTimeout} closes a client connection that has
 * no request in progress and sends nothing for that long; {@code limits} bound what a client may send.
 */
public record ListenerConfig(String name, String host, int port, Duration idleTimeout, ListenerLimits limits) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** A listener with the default limits. */
    public ListenerConfig(String name, String host, int port, Duration idleTimeout) {
        this(name, host, port, idleTimeout, ListenerLimits.DEFAULTS);
    }
}
