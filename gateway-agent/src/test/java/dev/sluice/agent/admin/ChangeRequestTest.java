package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ExtendOverrideRequest;
import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.agent.control.Change;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeRequestTest {

    private static final ChangeContext REASONED =
            ChangeContext.newBuilder().setReason("deploy rollback").setExpectedVersion(3).build();

    @Test
    void readsATripWithItsTtlAndContext() {
        ChangeRequest request = ChangeRequest.trip(TripBreakerRequest.newBuilder().setContext(REASONED)
                .setService("users").setTtl(Duration.newBuilder().setSeconds(1800)).build());

        assertThat(request.valid()).isTrue();
        assertThat(request.change()).isEqualTo(new Change.TripBreaker("users", java.time.Duration.ofMinutes(30)));
        assertThat(request.target()).isEqualTo("breaker:users");
        assertThat(request.expectedVersion()).isEqualTo(3);
        assertThat(request.permanentOverride()).isFalse();
    }

    @Test
    void aTripWithoutTtlIsAPermanentOverride() {
        ChangeRequest request = ChangeRequest.trip(
                TripBreakerRequest.newBuilder().setContext(REASONED).setService("users").build());

        assertThat(request.permanentOverride()).isTrue();
    }

    private static Change.UpsertRoute upsertOf(Route.Builder route, boolean replaceFilters) {
        ChangeRequest request = ChangeRequest.upsertRoute(UpsertRouteRequest.newBuilder().setContext(REASONED)
                .setRoute(route.setId("r1").setService("users").setMatch(RouteMatch.newBuilder().setPath("/users")))
                .setReplaceFilters(replaceFilters).build());
        assertThat(request.violations()).isEmpty();
        return (Change.UpsertRoute) request.change();
    }

    @Test
    void anUpsertWithoutFiltersKeepsTheCurrentOnesUnlessReplaceFiltersIsSet() {
        assertThat(upsertOf(Route.newBuilder(), false).keepFilters()).isTrue();
        assertThat(upsertOf(Route.newBuilder(), true).keepFilters()).isFalse();
    }

    @Test
    void anUpsertWithFiltersGivesTheWholeListNameFirst() {
        Change.UpsertRoute upsert = upsertOf(Route.newBuilder().addFilters(FilterSpec.newBuilder().setName("response-size")
                .setSettings(Struct.newBuilder().putFields("maxBytes", Value.newBuilder().setNumberValue(1024).build()))),
                false);

        assertThat(upsert.keepFilters()).isFalse();
        assertThat(upsert.route().filters()).containsExactly(Map.of("name", "response-size", "maxBytes", 1024L));
    }

    @Test
    void aFilterNameInsideItsSettingsIsRefused() {
        ChangeRequest request = ChangeRequest.upsertRoute(UpsertRouteRequest.newBuilder().setContext(REASONED)
                .setRoute(Route.newBuilder().setId("r1").setService("users")
                        .setMatch(RouteMatch.newBuilder().setPath("/users"))
                        .addFilters(FilterSpec.newBuilder().setName("cors").setSettings(Struct.newBuilder()
                                .putFields("name", Value.newBuilder().setStringValue("jwt-auth").build()))))
                .build());

        assertThat(request.violations()).extracting(Map.Entry::getKey).containsExactly("route.filters[0].settings.name");
    }

    @Test
    void namesEveryBadFieldOfAnUpsertByItsProtoPath() {
        ChangeRequest request = ChangeRequest.upsertRoute(UpsertRouteRequest.newBuilder()
                .setContext(ChangeContext.newBuilder().setReason(" "))
                .setRoute(Route.newBuilder().setId("r1")
                        .setMatch(RouteMatch.newBuilder().setPath("users").addMethods("get").addMethods("GET")
                                .addMethods("GET"))
                        .setStripPrefix("api"))
                .build());

        assertThat(request.valid()).isFalse();
        assertThat(request.violations()).extracting(Map.Entry::getKey).containsExactly(
                "context.reason", "route.match.path", "route.match.methods[0]", "route.match.methods[2]",
                "route.service", "route.strip_prefix");
    }

    @Test
    void checksALimitAndItsKey() {
        ChangeRequest request = ChangeRequest.setRateLimit(SetRateLimitRequest.newBuilder().setContext(REASONED)
                .setRouteId("users").setLimit(RateLimit.newBuilder().setRequestsPerSecond(0).setBurst(0)
                        .setKey(RateLimitKey.RATE_LIMIT_KEY_HEADER))
                .setTtl(Duration.newBuilder().setSeconds(-5)).build());

        assertThat(request.violations()).extracting(Map.Entry::getKey).containsExactly(
                "ttl", "limit.requests_per_second", "limit.burst", "limit.key_name");
    }

    @Test
    void anExtendNeedsATargetAndATtl() {
        ChangeRequest request = ChangeRequest.extend(ExtendOverrideRequest.newBuilder().setContext(REASONED).build());

        assertThat(request.violations()).extracting(Map.Entry::getKey).containsExactly("target", "ttl");
        assertThat(request.change()).isNull();
    }
}
