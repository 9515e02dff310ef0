package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FilterSecretsTest {

    private static final String SECRET = "an-hs256-secret-that-is-32-bytes-or-more";
    private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static String rsaPem;
    private static String otherPem;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        rsaPem = JwtAuthFilterTest.pem(rsa);
        otherPem = JwtAuthFilterTest.pem(generator.generateKeyPair());
    }

    private static Map<String, Object> jwt() {
        return Map.of("name", "jwt-auth", "issuer", "https://issuer.example", "audiences", List.of("orders"),
                "keys", List.of(Map.of("kid", "hmac-1", "secret", SECRET), Map.of("kid", "rsa-1", "publicKey", rsaPem)));
    }

    private static Map<String, Object> apiKey() {
        return Map.of("name", "api-key-auth", "header", "X-Api-Key",
                "keys", List.of(Map.of("name", "billing", "sha256", DIGEST)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> key(Map<String, Object> spec, int index) {
        return ((List<Map<String, Object>>) spec.get("keys")).get(index);
    }

    @Test
    void jwtAuthShowsHmacSecretsAsRedactedAndPublicKeysAsFingerprints() {
        Map<String, Object> shown = FilterSecrets.redact(List.of(jwt())).get(0);

        assertThat(key(shown, 0)).containsEntry("kid", "hmac-1").containsEntry("secret", FilterSecrets.REDACTED);
        assertThat((String) key(shown, 1).get("publicKey")).startsWith("<redacted sha256:").endsWith(">")
                .doesNotContain("BEGIN");
        assertThat(shown).containsEntry("issuer", "https://issuer.example").containsEntry("audiences", List.of("orders"));
        assertThat(shown.toString()).doesNotContain(SECRET);
    }

    @Test
    void differentKeysHaveDifferentFingerprints() {
        assertThat(FilterSecrets.fingerprint(rsaPem)).isNotEqualTo(FilterSecrets.fingerprint(otherPem));
    }

    @Test
    void apiKeyAuthShowsKeyDigestsAsRedactedButKeepsKeyNames() {
        Map<String, Object> shown = FilterSecrets.redact(List.of(apiKey())).get(0);

        assertThat(key(shown, 0)).containsEntry("name", "billing").containsEntry("sha256", FilterSecrets.REDACTED);
        assertThat(shown.toString()).doesNotContain(DIGEST);
    }

    @Test
    void corsValidationAndSizeFiltersAreShownAsConfigured() {
        List<Map<String, Object>> specs = List.of(
                Map.of("name", "cors", "allowedOrigins", List.of("https://app.example.com")),
                Map.of("name", "request-validation", "query", Map.of("secret", Map.of("required", true))),
                Map.of("name", "response-size", "maxBytes", "1MiB"));

        assertThat(FilterSecrets.redact(specs)).isEqualTo(specs);
    }

    @Test
    void keyMaterialAnywhereIsShownAsAFingerprint() {
        Map<String, Object> shown = FilterSecrets.redact(List.of(Map.of("name", "other", "nested",
                Map.of("privateKey", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----")))).get(0);

        assertThat(shown.toString()).doesNotContain("MIIB").contains("<redacted sha256:");
    }

    @Test
    void redactedValuesSentBackUnchangedRestoreTheCurrentSecrets() {
        List<Map<String, Object>> current = List.of(jwt(), apiKey());
        List<Map<String, Object>> shown = FilterSecrets.redact(current);

        FilterSecrets.Restored restored = FilterSecrets.restore(shown, current, "route.filters");

        assertThat(restored.violations()).isEmpty();
        assertThat(restored.specs()).isEqualTo(current);
        for (Map<String, Object> spec : restored.specs()) {
            assertThat(FilterChain.build(List.of(spec), "route.filters", Clock.systemUTC()).violations()).isEmpty();
        }
    }

    @Test
    void aNewSecretReplacesTheCurrentOne() {
        Map<String, Object> edited = Map.of("name", "jwt-auth", "keys",
                List.of(Map.of("kid", "hmac-1", "secret", "another-secret-of-at-least-32-bytes!!")));

        FilterSecrets.Restored restored = FilterSecrets.restore(List.of(edited), List.of(jwt()), "route.filters");

        assertThat(restored.specs()).containsExactly(edited);
    }

    @Test
    void aPlaceholderWithoutACurrentSecretIsAViolationAtItsPath() {
        Map<String, Object> sent = Map.of("name", "jwt-auth", "keys", List.of(
                Map.of("kid", "unknown", "secret", FilterSecrets.REDACTED),
                Map.of("kid", "rsa-1", "publicKey", FilterSecrets.fingerprint(otherPem))));

        FilterSecrets.Restored restored = FilterSecrets.restore(List.of(sent), List.of(jwt()), "route.filters");

        assertThat(restored.violations()).extracting(Violation::path)
                .containsExactly("route.filters[0].keys[0].secret", "route.filters[0].keys[1].publicKey");
    }

    @Test
    void anApiKeyDigestIsRestoredByKeyName() {
        Map<String, Object> sent = Map.of("name", "api-key-auth", "keys", List.of(
                Map.of("name", "new", "sha256", "a".repeat(64)),
                Map.of("name", "billing", "sha256", FilterSecrets.REDACTED)));

        FilterSecrets.Restored restored = FilterSecrets.restore(List.of(sent), List.of(apiKey()), "route.filters");

        assertThat(restored.violations()).isEmpty();
        assertThat(key(restored.specs().get(0), 1)).containsEntry("sha256", DIGEST);
    }
}
