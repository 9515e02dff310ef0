package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hides the secrets of a route's {@code filters:} block from viewers, and puts them back when a redacted
 * block comes back in a change. HMAC secrets ({@code jwt-auth} {@code keys[].secret}) and API key
 * digests ({@code api-key-auth} {@code keys[].sha256}) read {@link #REDACTED}; PEM key material anywhere
 * reads {@code <redacted sha256:…>}, a fingerprint that tells keys apart without showing them.
 */
public final class FilterSecrets {

    /** What a redacted secret reads; sent back unchanged it means "keep the current secret". */
    public static final String REDACTED = "<redacted>";

    private static final String FINGERPRINT_PREFIX = "<redacted sha256:";

    private FilterSecrets() {}

    /** The result of {@link #restore}: the block with real secrets exactly when there are no violations. */
    public record Restored(List<Map<String, Object>> specs, List<Violation> violations) {
        public Restored {
            specs = List.copyOf(specs);
            violations = List.copyOf(violations);
        }
    }

    /** A copy of a {@code filters:} block that a viewer may see: same shape, every secret redacted. */
    public static List<Map<String, Object>> redact(List<? extends Map<String, ?>> specs) {
        List<Map<String, Object>> out = new ArrayList<>(specs.size());
        for (Map<String, ?> spec : specs) {
            String name = Objects.toString(spec.get("name"), "");
            out.add(redactMap(spec, name, false));
        }
        return out;
    }

    private static Map<String, Object> redactMap(Map<String, ?> map, String filter, boolean inKeys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object value = e.getValue();
            if (inKeys && value instanceof String && isSecretField(filter, e.getKey())) {
                out.put(e.getKey(), REDACTED);
            } else {
                out.put(e.getKey(), redactValue(value, filter, e.getKey().equals("keys")));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object redactValue(@Nullable Object value, String filter, boolean keys) {
        if (value instanceof Map<?, ?> map) {
            return redactMap((Map<String, ?>) map, filter, keys);
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(redactValue(item, filter, keys));
            }
            return out;
        }
        if (value instanceof String s && isKeyMaterial(s)) {
            return fingerprint(s);
        }
        return value;
    }

    private static boolean isSecretField(String filter, String field) {
        return (filter.equals(JwtAuthSettings.NAME) && field.equals("secret"))
                || (filter.equals(ApiKeyAuthSettings.NAME) && field.equals("sha256"));
    }

    private static boolean isKeyMaterial(String s) {
        return s.contains("-----BEGIN");
    }

    /** {@code <redacted sha256:…>} of the key's DER bytes (its PEM body), or of the text when it has none. */
    static String fingerprint(String pem) {
        byte[] bytes = pem.getBytes(StandardCharsets.UTF_8);
        StringBuilder body = new StringBuilder();
        for (String line : pem.split("\\R")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("-----")) {
                body.append(t);
            }
        }
        try {
            bytes = Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            // Not base64: the fingerprint is of the text, which still tells keys apart.
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return FINGERPRINT_PREFIX + HexFormat.of().formatHex(digest, 0, 16) + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Puts the current secrets back where {@code submitted} holds a redacted value exactly as
     * {@link #redact} would show it: a {@code jwt-auth} secret comes from the current key with the same
     * {@code kid} (or at the same position when several match), an API key digest from the current key
     * with the same {@code name}, key material from the current value with the same fingerprint. A
     * placeholder that matches nothing is a violation at its path, e.g. {@code route.filters[0].keys[1].secret}.
     *
     * @param path the block's path, e.g. {@code route.filters}
     */
    public static Restored restore(List<? extends Map<String, ?>> submitted, List<? extends Map<String, ?>> current,
                                   String path) {
        List<Violation> violations = new ArrayList<>();
        List<Map<String, Object>> out = new ArrayList<>(submitted.size());
        for (int i = 0; i < submitted.size(); i++) {
            Map<String, ?> spec = submitted.get(i);
            String name = Objects.toString(spec.get("name"), "");
            Map<String, ?> currentSpec = byName(current, name);
            out.add(restoreMap(spec, name, currentSpec, current, path + "[" + i + "]", violations));
        }
        return new Restored(out, violations);
    }

    private static @Nullable Map<String, ?> byName(List<? extends Map<String, ?>> specs, String name) {
        for (Map<String, ?> spec : specs) {
            if (name.equals(spec.get("name"))) {
                return spec;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> restoreMap(Map<String, ?> spec, String filter, @Nullable Map<String, ?> currentSpec,
                                                  List<? extends Map<String, ?>> current, String path,
                                                  List<Violation> violations) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : spec.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equals("keys") && value instanceof List<?> keys) {
                List<@Nullable Object> restoredKeys = new ArrayList<>(keys.size());
                List<?> currentKeys = currentSpec != null && currentSpec.get("keys") instanceof List<?> l ? l : List.of();
                for (int j = 0; j < keys.size(); j++) {
                    Object item = keys.get(j);
                    String keyPath = path + ".keys[" + j + "]";
                    if (item instanceof Map<?, ?> keyMap) {
                        restoredKeys.add(restoreKey((Map<String, ?>) keyMap, j, filter, currentKeys, current, keyPath,
                                violations));
                    } else {
                        restoredKeys.add(restoreValue(item, current, keyPath, violations));
                    }
                }
                out.put(key, restoredKeys);
            } else {
                out.put(key, restoreValue(value, current, path + "." + key, violations));
            }
        }
        return out;
    }

    private static Map<String, Object> restoreKey(Map<String, ?> key, int index, String filter, List<?> currentKeys,
                                                  List<? extends Map<String, ?>> current, String path,
                                                  List<Violation> violations) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : key.entrySet()) {
            String field = e.getKey();
            if (REDACTED.equals(e.getValue()) && isSecretField(filter, field)) {
                String identity = filter.equals(ApiKeyAuthSettings.NAME) ? "name" : "kid";
                Object secret = currentSecret(currentKeys, index, identity, key.get(identity), field);
                if (secret == null) {
                    violations.add(new Violation(path + "." + field, "is " + REDACTED + " but the route has no current "
                            + field + " for a key with this " + identity + "; give the " + field));
                    out.put(field, REDACTED);
                } else {
                    out.put(field, secret);
                }
            } else {
                out.put(field, restoreValue(e.getValue(), current, path + "." + field, violations));
            }
        }
        return out;
    }

    private static @Nullable Object currentSecret(List<?> currentKeys, int index, String identity,
                                                  @Nullable Object id, String field) {
        List<Integer> matches = new ArrayList<>();
        for (int j = 0; j < currentKeys.size(); j++) {
            if (currentKeys.get(j) instanceof Map<?, ?> k && Objects.equals(k.get(identity), id)
                    && k.get(field) instanceof String) {
                matches.add(j);
            }
        }
        if (matches.size() == 1) {
            return ((Map<?, ?>) currentKeys.get(matches.get(0))).get(field);
        }
        return matches.contains(index) ? ((Map<?, ?>) currentKeys.get(index)).get(field) : null;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object restoreValue(@Nullable Object value, List<? extends Map<String, ?>> current,
                                                 String path, List<Violation> violations) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : ((Map<String, ?>) map).entrySet()) {
                out.put(e.getKey(), restoreValue(e.getValue(), current, path + "." + e.getKey(), violations));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(restoreValue(list.get(i), current, path + "[" + i + "]", violations));
            }
            return out;
        }
        if (value instanceof String s && s.startsWith(FINGERPRINT_PREFIX)) {
            String material = materialWithFingerprint(current, s);
            if (material == null) {
                violations.add(new Violation(path, "is a redacted key fingerprint that matches none of the route's "
                        + "current keys; give the key itself"));
                return s;
            }
            return material;
        }
        return value;
    }

    private static @Nullable String materialWithFingerprint(@Nullable Object value, String fingerprint) {
        if (value instanceof Map<?, ?> map) {
            for (Object item : map.values()) {
                String found = materialWithFingerprint(item, fingerprint);
                if (found != null) {
                    return found;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                String found = materialWithFingerprint(item, fingerprint);
                if (found != null) {
                    return found;
                }
            }
        } else if (value instanceof String s && isKeyMaterial(s) && fingerprint(s).equals(fingerprint)) {
            return s;
        }
        return null;
    }
}
