package dev.sluice.console.history;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The window an incident export covers, from the dialog's choice: the last 15 minutes, the last
 * hour, or a custom from–to in ISO-8601. Bad input gives every problem at once and no window.
 */
public record ExportWindow(Instant from, Instant to) {

  /** The choices the dialog offers. */
  public enum Choice { LAST_15_MIN, LAST_HOUR, CUSTOM }

  /** A window, or the problems that keep the input from being one. */
  public record Parsed(@org.jspecify.annotations.Nullable ExportWindow window, List<String> problems) {}

  public static Parsed parse(Choice choice, String from, String to, Instant now) {
    return switch (choice) {
      case LAST_15_MIN -> new Parsed(new ExportWindow(now.minus(Duration.ofMinutes(15)), now), List.of());
      case LAST_HOUR -> new Parsed(new ExportWindow(now.minus(Duration.ofHours(1)), now), List.of());
      case CUSTOM -> custom(from, to, now);
    };
  }

  private static Parsed custom(String fromText, String toText, Instant now) {
    List<String> problems = new ArrayList<>();
    Instant from = instant("from", fromText, problems);
    Instant to = toText.isBlank() ? now : instant("to", toText, problems);
    if (from != null && to != null && !to.isAfter(from)) {
      problems.add("to: must be after from");
    }
    if (from != null && from.isAfter(now)) {
      problems.add("from: is in the future");
    }
    return problems.isEmpty() && from != null && to != null
        ? new Parsed(new ExportWindow(from, to), List.of()) : new Parsed(null, problems);
  }

  private static @org.jspecify.annotations.Nullable Instant instant(String field, String text,
      List<String> problems) {
    if (text.isBlank()) {
      problems.add(field + ": required, e.g. 2026-11-25T14:00:00Z");
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      problems.add(field + ": '" + text.trim() + "' is not a time like 2026-11-25T14:00:00Z");
      return null;
    }
  }
}
