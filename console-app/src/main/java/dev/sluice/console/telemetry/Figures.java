package dev.sluice.console.telemetry;

import java.time.Duration;
import java.util.Locale;

/** How the console writes numbers: latencies, rates, percentages and ages, in one consistent style. */
public final class Figures {
  /** Shown where there is no value (no traffic, no limit). */
  public static final String NONE = "—";

  private Figures() {}

  /** "850 µs", "12.3 ms", "1.20 s"; {@link #NONE} for a negative (absent) latency. */
  public static String latency(long micros) {
    if (micros < 0) {
      return NONE;
    }
    if (micros < 1_000) {
      return micros + " µs";
    }
    if (micros < 10_000) {
      return String.format(Locale.ROOT, "%.2f ms", micros / 1_000.0);
    }
    if (micros < 100_000) {
      return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
    }
    if (micros < 1_000_000) {
      return String.format(Locale.ROOT, "%.0f ms", micros / 1_000.0);
    }
    return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
  }

  /** "40", "2.5": a configured rate, without a decimal when it is whole. */
  public static String limitRate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? String.format(Locale.ROOT, "%,d", Math.round(perSecond))
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** "0", "0.4", "12.5", "1,204" requests per second. */
  public static String rate(double perSecond) {
    if (perSecond <= 0) {
      return "0";
    }
    if (perSecond < 100) {
      return String.format(Locale.ROOT, "%.1f", perSecond);
    }
    return String.format(Locale.ROOT, "%,d", Math.round(perSecond));
  }

  /** "0 %", "0.3 %", "12 %"; {@link #NONE} for a negative (not yet known) rate. */
  public static String percent(double percent) {
    if (percent < 0) {
      return NONE;
    }
    if (percent == 0) {
      return "0 %";
    }
    if (percent < 10) {
      return String.format(Locale.ROOT, "%.1f %%", percent);
    }
    return String.format(Locale.ROOT, "%.0f %%", percent);
  }

  /** "3 s", "4 min 12 s", "2 h 5 min". */
  public static String age(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
  }
}
