package dev.sluice.agent.resilience;

import java.util.Locale;

/** Formats percentages and durations the same way in every operator message and cause string. */
final class OperatorText {
  private OperatorText() {}

  /** {@code 62.0%}: one decimal, root locale, so messages are stable across machines. */
  static String format(double percent) {
    return String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /** {@code 50 %} for whole numbers, {@code 33.3 %} otherwise, as the drain-floor message shows it. */
  static String formatSpaced(double percent) {
    if (percent == Math.rint(percent)) {
      return String.format(Locale.ROOT, "%d %%", (long) percent);
    }
    return String.format(Locale.ROOT, "%.1f %%", percent);
  }

  /** {@code 30.0 s}: seconds with one decimal. */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
