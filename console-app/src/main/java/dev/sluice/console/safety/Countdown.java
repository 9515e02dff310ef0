package dev.sluice.console.safety;

import dev.sluice.console.telemetry.Figures;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How the console writes the time left on an override that ends by itself: a clock glyph and
 * words ("⏱ 29 min 12 s left"), so the countdown never depends on colour.
 */
public final class Countdown {
  /** Under this much time left an override is shown as ending soon. */
  public static final Duration ENDING = Duration.ofMinutes(2);

  private Countdown() {}

  /** "" for a permanent override (no deadline). */
  public static String text(@Nullable Instant expiresAt, Instant now) {
    if (expiresAt == null) {
      return "";
    }
    Duration left = Duration.between(now, expiresAt);
    return left.isNegative() || left.isZero() ? "⏱ ending now" : "⏱ " + Figures.age(left) + " left";
  }

  public static boolean ending(@Nullable Instant expiresAt, Instant now) {
    return expiresAt != null && Duration.between(now, expiresAt).compareTo(ENDING) <= 0;
  }

  /** The deadline of an override, or null when it has none. */
  public static @Nullable Instant expiresAt(dev.sluice.admin.v1.Override o) {
    return o.hasExpiresAt()
        ? Instant.ofEpochSecond(o.getExpiresAt().getSeconds(), o.getExpiresAt().getNanos()) : null;
  }
}
