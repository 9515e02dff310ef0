package dev.sluice.console.editors;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parsing of the editors' text fields; each parser answers null for bad text instead of throwing. */
final class Fields {
  private static final Pattern DURATION =
      Pattern.compile("(?=\\d)(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

  private Fields() {}

  /** A whole number ("1,000" and "1_000" too); null when the text is not one. */
  static @Nullable Long wholeNumber(String text) {
    String t = text.trim().replace("_", "").replace(",", "");
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A decimal number; null when the text is not one. */
  static @Nullable Double decimal(String text) {
    try {
      double d = Double.parseDouble(text.trim().replace(",", ""));
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** "250ms", "90s", "30m", "2h", "1h30m"; null when the text is none of these. */
  static @Nullable Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    Matcher m = DURATION.matcher(t);
    if (t.isEmpty() || t.length() > 24 || !m.matches()) {
      return null;
    }
    Duration d = Duration.ZERO;
    d = m.group(1) == null ? d : d.plusHours(Long.parseLong(m.group(1)));
    d = m.group(2) == null ? d : d.plusMinutes(Long.parseLong(m.group(2)));
    d = m.group(3) == null ? d : d.plusSeconds(Long.parseLong(m.group(3)));
    d = m.group(4) == null ? d : d.plusMillis(Long.parseLong(m.group(4)));
    return d;
  }

  /** "GET, post" → [GET, POST]; blank → no methods (any method). */
  static List<String> methods(String text) {
    return List.of(text.toUpperCase(Locale.ROOT).split("[,\\s]+")).stream()
        .filter(s -> !s.isEmpty())
        .toList();
  }

  static com.google.protobuf.Duration proto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static String text(Duration d) {
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0 || (b.length() == 0 && d.toMillisPart() == 0)) {
      b.append(s % 60).append('s');
    }
    if (d.toMillisPart() > 0) {
      b.append(d.toMillisPart()).append("ms");
    }
    return b.toString();
  }
}
