package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyAuthFilterTest {

    static final String BATCH_KEY = "sk_live_3f9a2c7e1b5d4a8f";
    static final String MOBILE_KEY = "sk_live_77aa01bc99de42f0";

    final ApiKeyAuthFilter filter = ApiKeyAuthFilter.create(new ApiKeyAuthSettings("X-Api-Key", List.of(
            new ApiKeyAuthSettings.Key("billing-batch", ApiKeyAuthFilter.digestOf(BATCH_KEY)),
            new ApiKeyAuthSettings.Key("mobile-app", ApiKeyAuthFilter.digestOf(MOBILE_KEY).toUpperCase())),
            "X-Api-Key-Name"));

    static FilterExchange with(HttpHeaders headers) {
        return Requests.withHeaders(HttpMethod.GET, "/invoices", headers);
    }

    @Test
    void knownKeyInTheConfiguredHeaderContinuesForwardsItsNameAndIsNotForwarded() {
        HttpHeaders headers = Requests.headers("X-Api-Key", MOBILE_KEY, "X-Api-Key-Name", "billing-batch");

        assertThat(filter.onRequest(with(headers))).isSameAs(FilterDecision.CONTINUE);

        assertThat(headers.getAll("X-Api-Key-Name")).containsExactly("mobile-app");
        assertThat(headers.contains("X-Api-Key")).isFalse();
    }

    @Test
    void knownKeyInTheAuthorizationHeaderIsAccepted() {
        HttpHeaders headers = Requests.headers("Authorization", "ApiKey " + BATCH_KEY);

        assertThat(filter.onRequest(with(headers))).isSameAs(FilterDecision.CONTINUE);

        assertThat(headers.get("X-Api-Key-Name")).isEqualTo("billing-batch");
        assertThat(headers.contains("Authorization")).isFalse();
    }

    @Test
    void unknownKeyIsRefusedAndClientSentNameHeaderRemoved() {
        HttpHeaders headers = Requests.headers("X-Api-Key", BATCH_KEY + "x", "X-Api-Key-Name", "billing-batch");

        FilterDecision decision = filter.onRequest(with(headers));

        assertThat(decision).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.status().code()).isEqualTo(401);
            assertThat(r.reason().label()).isEqualTo("api_key_unknown");
            assertThat(r.headers()).extracting(Map.Entry::getKey).containsExactly("www-authenticate");
        });
        assertThat(headers.contains("X-Api-Key-Name")).isFalse();
    }

    @Test
    void missingKeyIsRefused() {
        FilterDecision decision = filter.onRequest(with(Requests.headers("Authorization", "Bearer abc")));

        assertThat(decision).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.API_KEY_MISSING));
    }

    @Test
    void settingsRejectPlainKeysDuplicatesAndProtectedHeaders() {
        Map<String, Object> spec = Map.of("name", "api-key-auth", "header", "Cookie", "forwardNameAs", "Host",
                "keys", List.of(Map.of("name", "a", "sha256", BATCH_KEY), Map.of("name", "a", "sha256",
                        ApiKeyAuthFilter.digestOf(BATCH_KEY))));

        FilterChain.Result result = FilterChain.build(List.of(spec), "f", Clock.systemUTC());

        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "f[0].header", "f[0].forwardNameAs", "f[0].keys[0].sha256", "f[0].keys[1].name");
    }
}
