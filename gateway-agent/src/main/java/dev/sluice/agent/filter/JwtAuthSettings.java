package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@code jwt-auth} filter: accepted issuer and audiences, keys inline and/or from a
 * JWKS file, clock skew for {@code exp}/{@code nbf}, and which claims are forwarded as which request
 * headers. An empty {@code algorithms} list means every algorithm the configured keys can verify.
 */
public record JwtAuthSettings(
        @Nullable String issuer,
        List<String> audiences,
        List<String> algorithms,
        List<Key> keys,
        @Nullable Path jwksFile,
        Duration clockSkew,
        boolean requireExpiration,
        Map<String, String> forwardClaims,
        String realm) {

    public static final String NAME = "jwt-auth";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    /** The only algorithms accepted; anything else (none, HS384, PS256, …) is refused. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("HS256", "RS256", "ES256");
    /** Headers a claim may never be forwarded as: framing, routing and hop-by-hop headers. */
    static final Set<String> PROTECTED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "expect", "authorization", "cookie",
            "x-request-id", "x-forwarded-for", "x-real-ip", "x-forwarded-proto", "x-forwarded-host");

    private static final Set<String> FIELDS = Set.of("name", "issuer", "audiences", "algorithms", "keys", "jwksFile",
            "clockSkew", "requireExpiration", "forwardClaims", "realm");
    private static final Set<String> KEY_FIELDS = Set.of("kid", "secret", "publicKey");

    /**
     * One inline key: an HMAC {@code secret} (HS256, at least 32 bytes) or a PEM {@code publicKey}
     * (RSA → RS256, EC P-256 → ES256). A null {@code kid} matches tokens with any or no kid.
     */
    public record Key(@Nullable String kid, @Nullable String secret, @Nullable String publicKey) {}

    public JwtAuthSettings {
        audiences = List.copyOf(audiences);
        algorithms = List.copyOf(algorithms);
        keys = List.copyOf(keys);
        forwardClaims = Map.copyOf(forwardClaims);
    }

    static JwtAuthSettings fromMap(SettingsReader in) {
        in.allowOnly(FIELDS);
        List<Key> keys = new ArrayList<>();
        List<@Nullable Map<String, ?>> keyMaps = in.maps("keys");
        for (int i = 0; i < keyMaps.size(); i++) {
            Map<String, ?> keyMap = keyMaps.get(i);
            if (keyMap == null) {
                continue;
            }
            SettingsReader key = in.child(keyMap, "keys[" + i + "]");
            key.allowOnly(KEY_FIELDS);
            keys.add(new Key(key.string("kid"), key.string("secret"), key.string("publicKey")));
        }
        String jwks = in.string("jwksFile");
        return new JwtAuthSettings(in.string("issuer"), in.strings("audiences"), in.strings("algorithms"), keys,
                jwks == null ? null : Path.of(jwks), in.duration("clockSkew", DEFAULT_CLOCK_SKEW),
                in.bool("requireExpiration", true), in.stringMap("forwardClaims"), in.string("realm", "sluice"));
    }

    /** Every problem with these settings that can be seen without reading files or parsing keys. */
    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (keys.isEmpty() && jwksFile == null) {
            out.add(new Violation(path + ".keys", "give at least one key, inline or with jwksFile"));
        }
        for (int i = 0; i < keys.size(); i++) {
            Key key = keys.get(i);
            String keyPath = path + ".keys[" + i + "]";
            if ((key.secret() == null) == (key.publicKey() == null)) {
                out.add(new Violation(keyPath, "give exactly one of secret (HS256) or publicKey (RS256/ES256, PEM)"));
            } else if (key.secret() != null && key.secret().getBytes(StandardCharsets.UTF_8).length < 32) {
                out.add(new Violation(keyPath + ".secret", "an HS256 secret must be at least 32 bytes"));
            }
        }
        for (int i = 0; i < algorithms.size(); i++) {
            if (!SUPPORTED_ALGORITHMS.contains(algorithms.get(i))) {
                out.add(new Violation(path + ".algorithms[" + i + "]", "must be one of HS256, RS256, ES256"));
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            out.add(new Violation(path + ".clockSkew", "must be between 0s and 10m"));
        }
        if (issuer != null && issuer.isBlank()) {
            out.add(new Violation(path + ".issuer", "must not be blank"));
        }
        for (int i = 0; i < audiences.size(); i++) {
            if (audiences.get(i).isBlank()) {
                out.add(new Violation(path + ".audiences[" + i + "]", "must not be blank"));
            }
        }
        if (realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0 || hasControl(realm)) {
            out.add(new Violation(path + ".realm", "must be non-empty text without quotes, backslashes or control characters"));
        }
        Set<String> seenHeaders = new java.util.HashSet<>();
        for (Map.Entry<String, String> e : forwardClaims.entrySet()) {
            String headerPath = path + ".forwardClaims." + e.getKey();
            String header = e.getValue();
            if (e.getKey().isBlank()) {
                out.add(new Violation(headerPath, "the claim name must not be blank"));
            }
            if (!SettingsReader.isHeaderName(header)) {
                out.add(new Violation(headerPath, "'" + header + "' is not a valid header name"));
            } else if (PROTECTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                out.add(new Violation(headerPath, "claims cannot be forwarded as " + header));
            } else if (!seenHeaders.add(header.toLowerCase(Locale.ROOT))) {
                out.add(new Violation(headerPath, "two claims are forwarded as " + header));
            }
        }
        return out;
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
