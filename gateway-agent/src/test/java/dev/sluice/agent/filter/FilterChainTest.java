package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterChainTest {

    static final String KEY = "k-0123456789";

    static final List<Map<String, Object>> LISTED_OUT_OF_ORDER = List.of(
            Map.of("name", "request-validation", "query", Map.of("page", Map.of("type", "integer"))),
            Map.of("name", "api-key-auth", "keys", List.of(Map.of("name", "ci", "sha256", ApiKeyAuthFilter.digestOf(KEY)))),
            Map.of("name", "cors", "allowedOrigins", List.of("https://app.example.com")));

    static FilterChain chain() {
        FilterChain.Result result = FilterChain.build(LISTED_OUT_OF_ORDER, "routes[0].filters", Clock.systemUTC());
        assertThat(result.violations()).isEmpty();
        return result.chain();
    }

    @Test
    void filtersRunInTheFixedStageOrderWhateverTheListedOrder() {
        assertThat(chain().filters()).extracting(RequestFilter::name)
                .containsExactly("cors", "api-key-auth", "request-validation");
    }

    @Test
    void aPreflightIsAnsweredBeforeAuthenticationAsksForCredentials() {
        HttpHeaders headers = Requests.headers("Origin", "https://app.example.com", "Access-Control-Request-Method", "GET");

        FilterDecision decision = chain().onRequest(Requests.withHeaders(HttpMethod.OPTIONS, "/items", headers));

        assertThat(decision).isInstanceOf(Reply.class);
    }

    @Test
    void theResponsePhaseLeavesAPreflightReplyAsItWas() {
        FilterChain chain = chain();
        FilterExchange exchange = Requests.withHeaders(HttpMethod.OPTIONS, "/items",
                Requests.headers("Origin", "https://app.example.com", "Access-Control-Request-Method", "GET"));
        Reply reply = (Reply) chain.onRequest(exchange);
        io.netty.handler.codec.http.FullHttpResponse response = reply.toResponse("req-1");

        exchange.response(204, response.headers());
        chain.onResponse(exchange);

        assertThat(response.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(response.headers().getAll("Vary")).hasSize(1);
        response.release();
    }

    @Test
    void aRejectionStillGetsTheResponsePhaseOfTheFiltersThatRanSoA401CarriesCorsHeaders() {
        FilterChain chain = chain();
        FilterExchange exchange = Requests.withHeaders(HttpMethod.GET, "/items", Requests.headers("Origin", "https://app.example.com"));

        FilterDecision decision = chain.onRequest(exchange);
        HttpHeaders response = new DefaultHttpHeaders();
        exchange.response(401, response);
        chain.onResponse(exchange);

        assertThat(decision).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.API_KEY_MISSING));
        assertThat(response.get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    }

    @Test
    void laterFiltersDoNotRunAfterARejection() {
        List<String> calls = new ArrayList<>();
        RequestFilter refuse = recording("refuse", calls, Rejection.of(
                io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN, "no", RejectionReason.CORS_ORIGIN));
        RequestFilter after = recording("after", calls, FilterDecision.CONTINUE);
        FilterChain chain = FilterChain.of(List.of(refuse, after), null);
        FilterExchange exchange = Requests.get("/");

        chain.onRequest(exchange);
        exchange.response(403, new DefaultHttpHeaders());
        chain.onResponse(exchange);

        assertThat(calls).containsExactly("refuse.request", "refuse.response");
    }

    @Test
    void eachFilterHasItsOwnStateSlotAndResponsesRunInReverseOrder() {
        List<String> calls = new ArrayList<>();
        RequestFilter first = new StatefulFilter("first", calls);
        RequestFilter second = new StatefulFilter("second", calls);
        FilterChain chain = FilterChain.of(List.of(first, second), null);
        FilterExchange exchange = Requests.get("/");

        assertThat(chain.onRequest(exchange)).isSameAs(FilterDecision.CONTINUE);
        exchange.response(200, new DefaultHttpHeaders());
        chain.onResponse(exchange);

        assertThat(calls).containsExactly("second saw second", "first saw first");
    }

    @Test
    void twoAuthenticationFiltersUnknownNamesAndMissingNamesAreReportedTogether() {
        List<Map<String, Object>> specs = List.of(
                Map.of("name", "api-key-auth", "keys", List.of(Map.of("name", "ci", "sha256", ApiKeyAuthFilter.digestOf(KEY)))),
                Map.of("name", "jwt-auth", "keys", List.of(Map.of("secret", "a-shared-hmac-secret-of-at-least-32-bytes!"))),
                Map.of("name", "rate-limit"),
                Map.of("issuer", "x"));

        FilterChain.Result result = FilterChain.build(specs, "routes[2].filters", Clock.systemUTC());

        assertThat(result.chain()).isNull();
        assertThat(result.violations()).extracting(Violation::path).containsExactly(
                "routes[2].filters[1].name", "routes[2].filters[2].name", "routes[2].filters[3].name");
    }

    @Test
    void anEmptyBlockGivesAnEmptyChain() {
        FilterChain chain = FilterChain.build(List.of(), "f", Clock.systemUTC()).chain();

        assertThat(chain.isEmpty()).isTrue();
        assertThat(chain.onRequest(Requests.get("/"))).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void theDocumentedOrderKeepsProxyStagesInTheirPlaces() {
        assertThat(FilterStage.values()).containsExactly(FilterStage.REQUEST_ID, FilterStage.ACCESS_LOG, FilterStage.CORS,
                FilterStage.AUTHENTICATION, FilterStage.REQUEST_VALIDATION, FilterStage.RATE_LIMIT,
                FilterStage.HEADER_REWRITE, FilterStage.RESPONSE_SIZE_GUARD);
        assertThat(FilterStage.RATE_LIMIT.ownedByProxy()).isTrue();
        assertThat(FilterStage.AUTHENTICATION.filterNames()).containsExactly("jwt-auth", "api-key-auth");
    }

    private static RequestFilter recording(String name, List<String> calls, FilterDecision decision) {
        return new RequestFilter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public FilterDecision onRequest(FilterContext ctx) {
                calls.add(name + ".request");
                return decision;
            }

            @Override
            public void onResponse(ResponseContext ctx) {
                calls.add(name + ".response");
            }
        };
    }

    private record StatefulFilter(String name, List<String> calls) implements RequestFilter {
        @Override
        public FilterDecision onRequest(FilterContext ctx) {
            ctx.state(name);
            return FilterDecision.CONTINUE;
        }

        @Override
        public void onResponse(ResponseContext ctx) {
            calls.add(name + " saw " + ctx.request().state());
        }
    }
}
