package dev.sluice.agent.filter;

import dev.sluice.agent.config.Durations;
import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one filter's generic settings map (as Jackson gives it: String, Number, Boolean, List, Map)
 * with typed getters that record a violation at the field's path instead of throwing, so a whole
 * {@code filters:} block is checked in one pass.
 */
final class SettingsReader {

    private final Map<String, ?> map;
    private final String path;
    private final List<Violation> violations;

    SettingsReader(Map<String, ?> map, String path, List<Violation> violations) {
        this.map = map;
        this.path = path;
        this.violations = violations;
    }

    /** A reader for a nested mapping that reports into the same violation list. */
    SettingsReader child(Map<String, ?> nested, String key) {
        return new SettingsReader(nested, path(key), violations);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path + "." + key;
    }

    void violation(String key, String message) {
        violations.add(new Violation(path(key), message));
    }

    void allowOnly(Set<String> keys) {
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                violations.add(new Violation(path(key), "unknown field; expected one of " + keys.stream().sorted().toList()));
            }
        }
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    @Nullable String string(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        violation(key, "must be a string");
        return null;
    }

    String string(String key, String fallback) {
        String value = string(key);
        return value == null ? fallback : value;
    }

    boolean bool(String key, boolean fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        violation(key, "must be true or false");
        return fallback;
    }

    @Nullable Long whole(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        violation(key, "must be a whole number");
        return null;
    }

    @Nullable Double number(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        violation(key, "must be a number");
        return null;
    }

    Duration duration(String key, Duration fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed = value instanceof String s ? Durations.parse(s) : null;
        if (parsed == null) {
            violation(key, "must be a duration such as 500ms, 30s, 5m or 1h");
            return fallback;
        }
        return parsed;
    }

    List<String> strings(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            violation(key, "must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof String s) {
                out.add(s);
            } else if (item instanceof Number || item instanceof Boolean) {
                out.add(item.toString());
            } else {
                violations.add(new Violation(path(key) + "[" + i + "]", "must be a string"));
            }
        }
        return out;
    }

    /** A mapping from string keys to string values ({@code forwardClaims: {sub: X-User-Id}}). */
    Map<String, String> stringMap(String key) {
        Map<String, ?> raw = submap(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            if (e.getValue() instanceof String s) {
                out.put(e.getKey(), s);
            } else {
                violations.add(new Violation(path(key) + "." + e.getKey(), "must be a string"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, ?> submap(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m && allStringKeys(m)) {
            return (Map<String, ?>) m;
        }
        violation(key, "must be a mapping");
        return Map.of();
    }

    /** A list of mappings; items that are not mappings are reported and skipped (their index kept). */
    @SuppressWarnings("unchecked")
    List<@Nullable Map<String, ?>> maps(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            violation(key, "must be a list");
            return List.of();
        }
        List<@Nullable Map<String, ?>> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof Map<?, ?> m && allStringKeys(m)) {
                out.add((Map<String, ?>) m);
            } else {
                violations.add(new Violation(path(key) + "[" + i + "]", "must be a mapping"));
                out.add(null);
            }
        }
        return out;
    }

    private static boolean allStringKeys(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code name} is an HTTP header field name (an RFC 9110 token). */
    static boolean isHeaderName(String name) {
        if (name.isEmpty() || name.length() > 128) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
