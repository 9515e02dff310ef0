package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@code api-key-auth} filter: the header the key comes in (or {@code Authorization:
 * ApiKey <key>}), the accepted keys as SHA-256 hex digests with a name each, and the header the
 * matched key's name is forwarded as. Plain keys never appear in config.
 */
public record ApiKeyAuthSettings(String header, List<Key> keys, @Nullable String forwardNameAs) {

    public static final String NAME = "api-key-auth";
    public static final String DEFAULT_HEADER = "X-Api-Key";

    private static final Set<String> FIELDS = Set.of("name", "header", "keys", "forwardNameAs");
    private static final Set<String> KEY_FIELDS = Set.of("name", "sha256");

    /** An accepted key: its name (forwarded, logged) and the SHA-256 of the key as 64 hex digits. */
    public record Key(String name, String sha256) {}

    public ApiKeyAuthSettings {
        keys = List.copyOf(keys);
    }

    static ApiKeyAuthSettings fromMap(SettingsReader in) {
        in.allowOnly(FIELDS);
        List<Key> keys = new ArrayList<>();
        List<@Nullable Map<String, ?>> keyMaps = in.maps("keys");
        for (int i = 0; i < keyMaps.size(); i++) {
            Map<String, ?> keyMap = keyMaps.get(i);
            if (keyMap != null) {
                SettingsReader key = in.child(keyMap, "keys[" + i + "]");
                key.allowOnly(KEY_FIELDS);
                keys.add(new Key(key.string("name", ""), key.string("sha256", "")));
            }
        }
        return new ApiKeyAuthSettings(in.string("header", DEFAULT_HEADER), keys, in.string("forwardNameAs"));
    }

    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (!SettingsReader.isHeaderName(header)) {
            out.add(new Violation(path + ".header", "'" + header + "' is not a valid header name"));
        } else if (JwtAuthSettings.PROTECTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
            out.add(new Violation(path + ".header", "API keys cannot be read from " + header
                    + "; Authorization: ApiKey <key> is always accepted"));
        }
        if (keys.isEmpty()) {
            out.add(new Violation(path + ".keys", "list at least one key"));
        }
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            Key key = keys.get(i);
            String keyPath = path + ".keys[" + i + "]";
            if (key.name().isBlank() || JwtAuthSettings.hasControl(key.name())) {
                out.add(new Violation(keyPath + ".name", "must be a non-blank name without control characters"));
            } else if (!names.add(key.name())) {
                out.add(new Violation(keyPath + ".name", "the key name '" + key.name() + "' is used twice"));
            }
            if (!isSha256Hex(key.sha256())) {
                out.add(new Violation(keyPath + ".sha256", "must be a SHA-256 digest as 64 hex digits (sha256sum of the key)"));
            } else if (!digests.add(key.sha256().toLowerCase(Locale.ROOT))) {
                out.add(new Violation(keyPath + ".sha256", "the same key is listed twice"));
            }
        }
        if (forwardNameAs != null) {
            if (!SettingsReader.isHeaderName(forwardNameAs)) {
                out.add(new Violation(path + ".forwardNameAs", "'" + forwardNameAs + "' is not a valid header name"));
            } else if (JwtAuthSettings.PROTECTED_HEADERS.contains(forwardNameAs.toLowerCase(Locale.ROOT))
                    || forwardNameAs.equalsIgnoreCase(header)) {
                out.add(new Violation(path + ".forwardNameAs", "the key name cannot be forwarded as " + forwardNameAs));
            }
        }
        return out;
    }

    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
