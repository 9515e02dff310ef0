package dev.sluice.agent.discovery;

import dev.sluice.agent.config.Durations;
import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed fields from a YAML block as Jackson or SnakeYAML hand it over ({@code Map}s, {@code
 * List}s, strings, numbers, booleans), collecting a violation for each wrong field instead of
 * stopping. Durations use the config syntax ({@code 500ms}, {@code 2s}, {@code 1m}).
 */
public final class SettingsReader {
  private final Map<String, ?> block;
  private final String prefix;
  private final List<Violation> violations;

  /**
   * @param prefix the block's path in the file, e.g. {@code services[0].registry}; may be empty
   * @param violations where violations are added
   */
  public SettingsReader(Map<String, ?> block, String prefix, List<Violation> violations) {
    this.block = block;
    this.prefix = prefix;
    this.violations = violations;
  }

  public String path(String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  /** A reader for a nested block at {@code field} (e.g. {@code instances[2]}) adding to the same violations. */
  public SettingsReader nested(Map<String, ?> nestedBlock, String field) {
    return new SettingsReader(nestedBlock, path(field), violations);
  }

  public void fail(String field, String message) {
    violations.add(new Violation(path(field), message));
  }

  public boolean has(String field) {
    return block.get(field) != null;
  }

  /** Adds a violation for each field not in {@code allowed}. */
  public void allowOnly(Set<String> allowed) {
    for (String key : block.keySet()) {
      if (!allowed.contains(key)) {
        fail(key, "unknown field; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  public @Nullable String string(String field) {
    Object value = block.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      fail(field, "must be a string, was " + describe(value));
      return null;
    }
    if (text.isBlank()) {
      fail(field, "must not be empty");
      return null;
    }
    return text;
  }

  public String string(String field, String fallback) {
    String value = string(field);
    return value == null ? fallback : value;
  }

  public int integer(String field, int fallback, int min, int max) {
    Object value = block.get(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      fail(field, "must be a whole number, was " + describe(value));
      return fallback;
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      fail(field, "must be between " + min + " and " + max + ", was " + number);
      return fallback;
    }
    return (int) number;
  }

  public Duration duration(String field, Duration fallback) {
    Object value = block.get(field);
    if (value == null) {
      return fallback;
    }
    Duration parsed = value instanceof String text ? Durations.parse(text) : null;
    if (parsed == null) {
      fail(field, "must be a duration such as 500ms, 2s or 1m, was " + describe(value));
      return fallback;
    }
    return parsed;
  }

  /** A list of strings; an empty list when absent. */
  public List<String> strings(String field) {
    Object value = block.get(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      fail(field, "must be a list of strings, was " + describe(value));
      return List.of();
    }
    List<String> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof String text && !text.isBlank()) {
        result.add(text);
      } else {
        violations.add(new Violation(path(field) + "[" + i + "]", "must be a non-empty string, was " + describe(item)));
      }
    }
    return result;
  }

  /** A nested block; null when absent or not a mapping (then with a violation). */
  public @Nullable Map<String, Object> block(String field) {
    Object value = block.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      fail(field, "must be a mapping, was " + describe(value));
      return null;
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  /** A list of nested blocks; empty when absent. */
  public List<Map<String, Object>> blocks(String field) {
    Object value = block.get(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      fail(field, "must be a list, was " + describe(value));
      return List.of();
    }
    List<Map<String, Object>> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        result.add(copy);
      } else {
        violations.add(new Violation(path(field) + "[" + i + "]", "must be a mapping, was " + describe(list.get(i))));
        result.add(Map.of());
      }
    }
    return result;
  }

  /** The raw value, for fields of several possible shapes. */
  public @Nullable Object raw(String field) {
    return block.get(field);
  }

  static String describe(@Nullable Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String text) {
      return "\"" + text + "\"";
    }
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
