package dev.sluice.console.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The new time-to-live Extend offers for an override (15 min, 30 min, 1 h, 4 h, or a custom
 * duration), each counted from now and capped by the longest the agent accepts
 * ({@code agent.maxOverrideTtl}, reported by GetAgentInfo). A zero cap means the console does not
 * know it yet: every choice stays open and the agent still checks.
 */
public final class ExtendChoice {
  /** The fixed choices, shortest first. */
  public static final List<Duration> PRESETS = List.of(
      Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4));

  private static final Pattern PART = Pattern.compile("(\\d+)\\s*(h|hours?|m|min|minutes?|s|sec|seconds?)?");

  /** A fixed choice and whether the agent's cap allows it; {@code whyNot} is empty when it does. */
  public record Option(Duration ttl, String label, boolean enabled, String whyNot) {}

  /** A custom duration, or every problem that keeps the text from being one. */
  public record Parsed(@Nullable Duration ttl, List<String> problems) {}

  private ExtendChoice() {}

  /** The fixed choices under {@code max}; those above it are disabled, saying why. */
  public static List<Option> options(Duration max) {
    List<Option> options = new ArrayList<>(PRESETS.size());
    for (Duration ttl : PRESETS) {
      boolean allowed = !known(max) || ttl.compareTo(max) <= 0;
      options.add(new Option(ttl, words(ttl), allowed,
          allowed ? "" : "longer than " + capText(max)));
    }
    return options;
  }

  /**
   * Reads a custom duration such as {@code 45m}, {@code 2h}, {@code 1h 30m} or {@code 90} (minutes)
   * and checks it against {@code max}.
   */
  public static Parsed custom(String text, Duration max) {
    String input = text.trim().toLowerCase(Locale.ROOT);
    if (input.isEmpty()) {
      return new Parsed(null, List.of("custom: type a duration, e.g. 45m or 2h 30m"));
    }
    Matcher m = PART.matcher(input);
    Duration ttl = Duration.ZERO;
    int at = 0;
    while (at < input.length()) {
      if (Character.isWhitespace(input.charAt(at))) {
        at++;
        continue;
      }
      if (!m.find(at) || m.start() != at) {
        return new Parsed(null, List.of("custom: '" + text.trim()
            + "' is not a duration like 45m, 2h or 1h 30m"));
      }
      long amount = Long.parseLong(m.group(1).length() > 7 ? "9999999" : m.group(1));
      String unit = m.group(2) == null ? "m" : m.group(2);
      ttl = ttl.plus(unit.startsWith("h") ? Duration.ofHours(amount)
          : unit.startsWith("s") ? Duration.ofSeconds(amount) : Duration.ofMinutes(amount));
      at = m.end();
    }
    List<String> problems = new ArrayList<>();
    if (ttl.isZero()) {
      problems.add("custom: must be longer than zero");
    } else if (known(max) && ttl.compareTo(max) > 0) {
      problems.add("custom: " + words(ttl) + " is longer than " + capText(max));
    }
    return problems.isEmpty() ? new Parsed(ttl, List.of()) : new Parsed(null, problems);
  }

  /** The cap in words, for the dialog's note: "the agent's maximum, 2 h (agent.maxOverrideTtl)". */
  public static String capText(Duration max) {
    return known(max) ? "the agent's maximum, " + words(max) + " (agent.maxOverrideTtl)"
        : "the agent's maximum (not known yet; the agent checks)";
  }

  /** A duration in the fewest words: "15 min", "1 h", "1 h 30 min", "45 s". */
  public static String words(Duration d) {
    long s = Math.max(0, d.toSeconds());
    List<String> parts = new ArrayList<>(3);
    if (s >= 3600) {
      parts.add(s / 3600 + " h");
    }
    if (s % 3600 >= 60) {
      parts.add(s % 3600 / 60 + " min");
    }
    if (s % 60 > 0 || s == 0) {
      parts.add(s % 60 + " s");
    }
    return String.join(" ", parts);
  }

  private static boolean known(Duration max) {
    return max.compareTo(Duration.ZERO) > 0;
  }
}
