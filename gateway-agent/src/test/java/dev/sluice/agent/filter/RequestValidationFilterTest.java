package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.filter.RequestValidationSettings.FieldRule;
import dev.sluice.agent.filter.RequestValidationSettings.Location;
import dev.sluice.agent.filter.RequestValidationSettings.ValueType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestValidationFilterTest {

    static FieldRule query(String name, @Nullable ValueType type) {
        return new FieldRule(Location.QUERY, name, false, type, null, null, null, null, null, List.of());
    }

    static FilterDecision check(FieldRule rule, @Nullable String rawQuery) {
        return RequestValidationFilter.create(new RequestValidationSettings(List.of(rule)))
                .onRequest(Requests.request(HttpMethod.GET, "/items", rawQuery, new DefaultHttpHeaders(), Map.of()));
    }

    static List<FieldViolation> violations(FilterDecision decision) {
        assertThat(decision).isInstanceOf(Rejection.class);
        Rejection rejection = (Rejection) decision;
        assertThat(rejection.status().code()).isEqualTo(400);
        assertThat(rejection.reason()).isEqualTo(RejectionReason.VALIDATION);
        return rejection.violations();
    }

    @ParameterizedTest(name = "{0} accepts {1}")
    @CsvSource({
        "integer, 42", "integer, -7", "number, 3.25", "number, -1e-3", "boolean, true", "boolean, false",
        "uuid, 123e4567-e89b-12d3-a456-426614174000", "email, ops.team+alerts@example.co.uk"})
    void typeAcceptsWellFormedValues(String type, String value) {
        FieldRule rule = query("v", ValueType.valueOf(type.toUpperCase()));

        assertThat(check(rule, "v=" + value.replace("+", "%2B"))).isSameAs(FilterDecision.CONTINUE);
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource({
        "integer, 4.2", "integer, 12abc", "integer, 99999999999999999999", "number, 1e", "number, NaN",
        "number, 0x1F", "boolean, yes", "boolean, TRUE", "uuid, 123e4567e89b12d3a456426614174000",
        "uuid, 123e4567-e89b-12d3-a456-42661417400g", "email, no-at-sign.example.com", "email, a@localhost",
        "email, a@@example.com", "email, a b@example.com"})
    void typeRefusesMalformedValues(String type, String value) {
        FieldRule rule = query("v", ValueType.valueOf(type.toUpperCase()));

        assertThat(violations(check(rule, "v=" + value.replace(" ", "%20"))))
                .containsExactly(new FieldViolation("query.v", type));
    }

    @Test
    void requiredQueryParameterMustBePresent() {
        FieldRule rule = new FieldRule(Location.QUERY, "page", true, null, null, null, null, null, null, List.of());

        assertThat(violations(check(rule, "size=10"))).containsExactly(new FieldViolation("query.page", "required"));
        assertThat(violations(check(rule, null))).containsExactly(new FieldViolation("query.page", "required"));
        assertThat(check(rule, "size=10&page=2")).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void optionalParameterMayBeAbsent() {
        assertThat(check(query("page", ValueType.INTEGER), "size=10")).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void minAndMaxBoundTheValue() {
        FieldRule rule = new FieldRule(Location.QUERY, "page", false, ValueType.INTEGER, null, null, null, 1.0, 100.0, List.of());

        assertThat(check(rule, "page=1")).isSameAs(FilterDecision.CONTINUE);
        assertThat(check(rule, "page=100")).isSameAs(FilterDecision.CONTINUE);
        assertThat(violations(check(rule, "page=0"))).containsExactly(new FieldViolation("query.page", "min"));
        assertThat(violations(check(rule, "page=101"))).containsExactly(new FieldViolation("query.page", "max"));
    }

    @Test
    void minAndMaxLengthCountCharactersOfTheDecodedValue() {
        FieldRule rule = new FieldRule(Location.QUERY, "q", false, null, null, 2L, 4L, null, null, List.of());

        assertThat(check(rule, "q=%C3%A9t%C3%A9")).isSameAs(FilterDecision.CONTINUE);
        assertThat(violations(check(rule, "q=a"))).containsExactly(new FieldViolation("query.q", "minLength"));
        assertThat(violations(check(rule, "q=abcde"))).containsExactly(new FieldViolation("query.q", "maxLength"));
    }

    @Test
    void patternMustMatchTheWholeValue() {
        FieldRule rule = new FieldRule(Location.QUERY, "code", false, null, "[A-Z]{3}", null, null, null, null, List.of());

        assertThat(check(rule, "code=ABC")).isSameAs(FilterDecision.CONTINUE);
        assertThat(violations(check(rule, "code=ABCD"))).containsExactly(new FieldViolation("query.code", "pattern"));
    }

    @Test
    void enumAcceptsOnlyListedValues() {
        FieldRule rule = new FieldRule(Location.QUERY, "sort", false, null, null, null, null, null, null, List.of("asc", "desc"));

        assertThat(check(rule, "sort=desc")).isSameAs(FilterDecision.CONTINUE);
        assertThat(violations(check(rule, "sort=random"))).containsExactly(new FieldViolation("query.sort", "enum"));
    }

    @Test
    void everyOccurrenceOfARepeatedParameterIsChecked() {
        FieldRule rule = query("page", ValueType.INTEGER);

        assertThat(violations(check(rule, "page=1&page=drop+table"))).containsExactly(new FieldViolation("query.page", "integer"));
    }

    @Test
    void badPercentEncodingIsAViolation() {
        assertThat(violations(check(query("q", null), "q=%zz"))).containsExactly(new FieldViolation("query.q", "encoding"));
    }

    @Test
    void pathParametersAndHeadersAreChecked() {
        RequestValidationFilter filter = RequestValidationFilter.create(new RequestValidationSettings(List.of(
                new FieldRule(Location.PATH, "id", true, ValueType.UUID, null, null, null, null, null, List.of()),
                new FieldRule(Location.HEADER, "X-Tenant", true, null, "[a-z]{3,16}", null, null, null, null, List.of()))));
        HttpHeaders good = Requests.headers("x-tenant", "acme");

        assertThat(filter.onRequest(Requests.request(HttpMethod.GET, "/o", null, good,
                Map.of("id", "123e4567-e89b-12d3-a456-426614174000")))).isSameAs(FilterDecision.CONTINUE);
        assertThat(violations(filter.onRequest(Requests.request(HttpMethod.GET, "/o", null, Requests.headers("X-Tenant", "ACME!"),
                Map.of("id", "42"))))).containsExactly(
                        new FieldViolation("path.id", "uuid"), new FieldViolation("header.X-Tenant", "pattern"));
    }

    @Test
    void everyValueOfARepeatedHeaderIsChecked() {
        RequestValidationFilter filter = RequestValidationFilter.create(new RequestValidationSettings(List.of(
                new FieldRule(Location.HEADER, "X-Tenant", true, null, "[a-z]{3,16}", null, null, null, null, List.of()))));
        HttpHeaders headers = Requests.headers("X-Tenant", "acme", "X-Tenant", "../admin");

        assertThat(violations(filter.onRequest(Requests.withHeaders(HttpMethod.GET, "/o", headers))))
                .containsExactly(new FieldViolation("header.X-Tenant", "pattern"));
    }

    @Test
    void allViolationsAreReportedAtOnceInTheEnvelope() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "request-validation");
        spec.put("query", Map.of(
                "page", Map.of("type", "integer", "min", 1),
                "sort", Map.of("enum", List.of("asc", "desc")),
                "email", Map.of("required", true, "type", "email")));
        spec.put("headers", Map.of("X-Tenant", Map.of("required", true)));
        FilterChain chain = FilterChain.build(List.of(spec), "f", Clock.systemUTC()).chain();

        FilterDecision decision = chain.onRequest(Requests.request(HttpMethod.GET, "/items", "page=zero&sort=up",
                new DefaultHttpHeaders(), Map.of()));

        assertThat(violations(decision)).containsExactlyInAnyOrder(
                new FieldViolation("query.page", "integer"),
                new FieldViolation("query.sort", "enum"),
                new FieldViolation("query.email", "required"),
                new FieldViolation("header.X-Tenant", "required"));
        FullHttpResponse response = ((Rejection) decision).toResponse(ByteBufAllocator.DEFAULT, "req-9");
        try {
            assertThat(response.content().toString(StandardCharsets.UTF_8))
                    .startsWith("{\"code\":400,\"message\":")
                    .contains("\"requestId\":\"req-9\"")
                    .contains("{\"field\":\"query.page\",\"rule\":\"integer\"}")
                    .contains("{\"field\":\"header.X-Tenant\",\"rule\":\"required\"}");
        } finally {
            response.release();
        }
    }

    @Test
    void invalidRulesAreReportedWithTheirPaths() {
        Map<String, Object> spec = Map.of("name", "request-validation",
                "query", Map.of("a", Map.of("pattern", "([unclosed"), "b", Map.of("min", 3),
                        "c", Map.of("type", "date"), "d", Map.of("minLength", 5, "maxLength", 2)),
                "headers", Map.of("Bad Header", Map.of("required", true)));

        FilterChain.Result result = FilterChain.build(List.of(spec), "f", Clock.systemUTC());

        assertThat(result.violations()).extracting(Violation::path).contains(
                "f[0].query.a.pattern", "f[0].query.b.min", "f[0].query.c.type", "f[0].query.d.minLength",
                "f[0].headers.Bad Header");
    }
}
