package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorsFilterTest {

    final CorsFilter filter = CorsFilter.create(new CorsSettings(
            List.of("https://app.example.com", "https://*.shop.example.com"),
            List.of("GET", "PUT", "DELETE"),
            List.of("Content-Type", "Authorization"),
            List.of("X-Request-Id"),
            true,
            Duration.ofMinutes(10)));

    static FilterExchange preflight(String origin, String method, String requestedHeaders) {
        HttpHeaders headers = Requests.headers("Origin", origin, "Access-Control-Request-Method", method);
        if (!requestedHeaders.isEmpty()) {
            headers.set("Access-Control-Request-Headers", requestedHeaders);
        }
        return Requests.withHeaders(HttpMethod.OPTIONS, "/orders/1", headers);
    }

    static HttpHeaders respond(CorsFilter filter, FilterExchange exchange, HttpHeaders upstreamHeaders) {
        FilterChain chain = FilterChain.of(List.of(filter), null);
        assertThat(chain.onRequest(exchange)).isSameAs(FilterDecision.CONTINUE);
        exchange.response(200, upstreamHeaders);
        chain.onResponse(exchange);
        return upstreamHeaders;
    }

    @Test
    void allowedPreflightIsAnsweredAt204WithThePolicy() {
        FilterDecision decision = filter.onRequest(preflight("https://app.example.com", "PUT", "content-type, authorization"));

        assertThat(decision).isInstanceOf(Reply.class);
        FullHttpResponse response = ((Reply) decision).toResponse("req-1");
        try {
            HttpHeaders h = response.headers();
            assertThat(response.status().code()).isEqualTo(204);
            assertThat(h.get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(h.get("Access-Control-Allow-Methods")).isEqualTo("GET, PUT, DELETE");
            assertThat(h.get("Access-Control-Allow-Headers")).isEqualTo("Content-Type, Authorization");
            assertThat(h.get("Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(h.get("Access-Control-Max-Age")).isEqualTo("600");
            assertThat(h.get("Vary")).contains("Origin");
            assertThat(h.get("Content-Length")).isEqualTo("0");
        } finally {
            response.release();
        }
    }

    @Test
    void preflightFromAWildcardSubdomainIsAllowedButNotFromLookalikes() {
        assertThat(filter.onRequest(preflight("https://eu.shop.example.com", "GET", ""))).isInstanceOf(Reply.class);
        assertThat(filter.onRequest(preflight("https://a.b.shop.example.com", "GET", ""))).isInstanceOf(Reply.class);
        for (String origin : List.of("https://shop.example.com", "https://evilshop.example.com", "http://eu.shop.example.com",
                "https://eu.shop.example.com.evil.io", "https://evil.io/.shop.example.com", "https://x.shop.example.com:8443")) {
            assertThat(filter.onRequest(preflight(origin, "GET", ""))).as(origin).isInstanceOfSatisfying(Rejection.class,
                    r -> assertThat(r.reason()).isEqualTo(RejectionReason.CORS_ORIGIN));
        }
    }

    @Test
    void preflightFromADisallowedOriginIsRefusedWith403() {
        FilterDecision decision = filter.onRequest(preflight("https://evil.io", "GET", ""));

        assertThat(decision).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(r.reason().label()).isEqualTo("cors_origin");
        });
    }

    @Test
    void preflightForADisallowedMethodOrHeaderIsRefused() {
        assertThat(filter.onRequest(preflight("https://app.example.com", "PATCH", ""))).isInstanceOfSatisfying(
                Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.CORS_METHOD));
        assertThat(filter.onRequest(preflight("https://app.example.com", "PUT", "content-type, x-debug"))).isInstanceOfSatisfying(
                Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.CORS_HEADERS));
    }

    @Test
    void actualRequestFromAnAllowedOriginGetsCorsHeadersReplacingTheUpstreams() {
        FilterExchange request = Requests.withHeaders(HttpMethod.GET, "/orders", Requests.headers("Origin", "https://app.example.com"));
        HttpHeaders upstream = Requests.headers("Access-Control-Allow-Origin", "*", "Content-Type", "application/json");

        HttpHeaders h = respond(filter, request, upstream);

        assertThat(h.getAll("Access-Control-Allow-Origin")).containsExactly("https://app.example.com");
        assertThat(h.get("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(h.get("Access-Control-Expose-Headers")).isEqualTo("X-Request-Id");
        assertThat(h.get("Vary")).isEqualTo("origin");
    }

    @Test
    void actualRequestFromADisallowedOriginGetsNoCorsHeaders() {
        FilterExchange request = Requests.withHeaders(HttpMethod.GET, "/orders", Requests.headers("Origin", "https://evil.io"));
        HttpHeaders upstream = Requests.headers("Access-Control-Allow-Origin", "https://evil.io");

        HttpHeaders h = respond(filter, request, upstream);

        assertThat(h.contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(h.contains("Access-Control-Allow-Credentials")).isFalse();
    }

    @Test
    void requestWithoutOriginIsLeftAlone() {
        FilterExchange request = Requests.withHeaders(HttpMethod.OPTIONS, "/orders", new DefaultHttpHeaders());

        assertThat(filter.onRequest(request)).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void anyOriginWithoutCredentialsAnswersWithTheWildcard() {
        CorsFilter open = CorsFilter.create(new CorsSettings(List.of("*"), CorsSettings.DEFAULT_METHODS, List.of(), List.of(),
                false, null));
        FilterExchange request = Requests.withHeaders(HttpMethod.GET, "/public", Requests.headers("Origin", "https://anyone.io"));

        HttpHeaders h = respond(open, request, new DefaultHttpHeaders());

        assertThat(h.get("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(h.contains("Access-Control-Allow-Credentials")).isFalse();
        assertThat(h.contains("Vary")).isFalse();
    }

    @Test
    void anyOriginWithCredentialsIsRefusedAsConfigurationBecauseBrowsersForbidIt() {
        Map<String, Object> spec = Map.of("name", "cors", "allowedOrigins", List.of("*"), "allowCredentials", true,
                "allowedHeaders", List.of("*"));

        FilterChain.Result result = FilterChain.build(List.of(spec), "f", Clock.systemUTC());

        assertThat(result.violations()).extracting(Violation::path)
                .containsExactlyInAnyOrder("f[0].allowedOrigins[0]", "f[0].allowedHeaders");
    }

    @Test
    void malformedOriginsAreReported() {
        Map<String, Object> spec = Map.of("name", "cors",
                "allowedOrigins", List.of("app.example.com", "https://app.example.com/", "https://*", "https://ok.example.com:8443"));

        FilterChain.Result result = FilterChain.build(List.of(spec), "f", Clock.systemUTC());

        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "f[0].allowedOrigins[0]", "f[0].allowedOrigins[1]", "f[0].allowedOrigins[2]");
    }
}
