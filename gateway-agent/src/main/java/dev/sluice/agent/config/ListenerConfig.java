package dev.sluice.agent.config;

import dev.sluice.agent.tls.ListenerTlsSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An address the agent listens on. Port 0 asks the OS for any free port (tests use it); the
 * runtime reports the port actually bound. {@code idleTimeout} closes a client connection that has
 * no request in progress and sends nothing for that long; {@code limits} bound what a client may send.
 * With {@code tls} the listener terminates TLS (and offers HTTP/2 through ALPN); without it, it speaks
 * plaintext HTTP/1.1 and h2c.
 */
public record ListenerConfig(String name, String host, int port, Duration idleTimeout, ListenerLimits limits,
                             @Nullable ListenerTlsSettings tls) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** A plaintext listener with the default limits. */
    public ListenerConfig(String name, String host, int port, Duration idleTimeout) {
        this(name, host, port, idleTimeout, ListenerLimits.DEFAULTS, null);
    }
}
