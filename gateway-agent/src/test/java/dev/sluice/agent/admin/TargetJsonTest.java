package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.control.Change;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TargetJsonTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void revertingATripOfABreakerWithNoOverrideResetsIt() {
        TargetJson.Reverse reverse = TargetJson.reverse("TripBreaker", "breaker:users",
                "{\"service\":\"users\",\"override\":\"NONE\",\"computedState\":\"CLOSED\",\"setBy\":null,\"expiresAt\":null}", NOW);

        assertThat(reverse).isEqualTo(new TargetJson.Reverse.Apply(new Change.ResetBreaker("users")));
    }

    @Test
    void revertingAResetRestoresTheTripWithTheTimeItHadLeft() {
        TargetJson.Reverse reverse = TargetJson.reverse("ResetBreaker", "breaker:users",
                "{\"service\":\"users\",\"override\":\"FORCED_OPEN\",\"setBy\":\"alice\",\"reason\":\"x\","
                        + "\"expiresAt\":\"2026-03-01T12:10:00Z\"}", NOW);

        assertThat(reverse).isEqualTo(new TargetJson.Reverse.Apply(
                new Change.TripBreaker("users", Duration.ofMinutes(10))));
    }

    @Test
    void anOverrideWhoseDeadlinePassedIsNotRestored() {
        TargetJson.Reverse reverse = TargetJson.reverse("Undrain", "instance:users/u1",
                "{\"service\":\"users\",\"instance\":\"u1\",\"drained\":true,\"setBy\":\"alice\","
                        + "\"expiresAt\":\"2026-03-01T11:00:00Z\"}", NOW);

        assertThat(reverse).isEqualTo(new TargetJson.Reverse.Apply(new Change.Undrain("users", "u1")));
    }

    @Test
    void revertingADrainUndrainsAndRevertingAnUndrainDrainsForever() {
        assertThat(TargetJson.reverse("DrainInstance", "instance:users/u1",
                "{\"service\":\"users\",\"instance\":\"u1\",\"drained\":false}", NOW))
                .isEqualTo(new TargetJson.Reverse.Apply(new Change.Undrain("users", "u1")));
        assertThat(TargetJson.reverse("UndrainInstance", "instance:users/u1",
                "{\"service\":\"users\",\"instance\":\"u1\",\"drained\":true,\"setBy\":\"bo\",\"expiresAt\":null}", NOW))
                .isEqualTo(new TargetJson.Reverse.Apply(new Change.Drain("users", "u1", null, false)));
    }

    @Test
    void revertingARouteCreationDeletesItAndALimitChangeRestoresTheLimit() {
        assertThat(TargetJson.reverse("UpsertRoute", "route:new", "", NOW))
                .isEqualTo(new TargetJson.Reverse.Apply(new Change.DeleteRoute("new")));
        assertThat(TargetJson.reverse("SetRateLimit", "route:users",
                "{\"route\":{},\"limitOverridden\":false,\"effectiveLimit\":null}", NOW))
                .isEqualTo(new TargetJson.Reverse.Apply(new Change.ClearRateLimit("users", false)));
        assertThat(TargetJson.reverse("RevertAuditEntry/ClearRateLimit", "route:users",
                "{\"route\":{},\"limitOverridden\":true,\"effectiveLimit\":{\"requestsPerSecond\":5.0,\"burst\":10,"
                        + "\"key\":\"ROUTE\",\"keyName\":null},\"expiresAt\":null}", NOW))
                .isEqualTo(new TargetJson.Reverse.Apply(new Change.SetRateLimit("users",
                        new Change.RateLimit(5.0, 10, Change.RateLimit.Key.ROUTE, null), null)));
    }

    @Test
    void aBreakerThatDidNotExistCannotBeRestored() {
        assertThat(TargetJson.reverse("TripBreaker", "breaker:gone", "", NOW))
                .isInstanceOf(TargetJson.Reverse.Impossible.class);
        assertThat(TargetJson.reverse("TripBreaker", "rpc:ControlService/TripBreaker", "", NOW))
                .isInstanceOf(TargetJson.Reverse.Impossible.class);
    }
}
