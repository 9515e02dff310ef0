package dev.sluice.console.connection;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a console's link to one gateway stands, as data the UI can show. {@code lastDataAt} is when
 * the last snapshot, frame or event arrived (absent before the first), so a reconnecting view can say
 * how old what it shows is.
 */
public record ConnectionState(Phase phase, @Nullable Instant lastDataAt, String detail) {

  /** The phases of a connection; only FAILED stops retrying. */
  public enum Phase {
    /** First attach under way; nothing received yet. */
    CONNECTING,
    /** Streams are open and data is flowing. */
    LIVE,
    /** The link broke; retrying with backoff, showing the last data received. */
    RECONNECTING,
    /** The gateway refused us (credentials, permission, wrong service); no retry. */
    FAILED
  }

  public static ConnectionState connecting() {
    return new ConnectionState(Phase.CONNECTING, null, "connecting");
  }

  /** How old the newest data is at {@code now}; absent before any data arrived. */
  public @Nullable Duration dataAge(Instant now) {
    return lastDataAt == null ? null : Duration.between(lastDataAt, now);
  }
}
