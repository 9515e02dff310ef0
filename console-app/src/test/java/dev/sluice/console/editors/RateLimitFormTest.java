package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.RateLimitStatus;
import dev.sluice.admin.v1.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitFormTest {
  private static final Route LIMITED = Route.newBuilder().setId("users-get")
      .setRateLimit(RateLimitStatus.newBuilder()
          .setEffective(RateLimit.newBuilder().setRequestsPerSecond(2.5).setBurst(20)))
      .build();

  @Test
  void startsFromTheLimitInForce() {
    RateLimitForm form = new RateLimitForm(LIMITED, Duration.ZERO);

    assertThat(form.requestsPerSecondProperty().get()).isEqualTo("2.5");
    assertThat(form.burstProperty().get()).isEqualTo("20");
    assertThat(form.keyProperty().get()).isEqualTo(RateLimitKey.RATE_LIMIT_KEY_ROUTE);
    assertThat(form.check()).isEmpty();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    RateLimitForm form = new RateLimitForm(Route.newBuilder().setId("r").build(), Duration.ofHours(1));
    form.requestsPerSecondProperty().set("0");
    form.burstProperty().set("");
    form.keyProperty().set(RateLimitKey.RATE_LIMIT_KEY_HEADER);
    form.ttlProperty().set("soon");

    assertThat(form.check()).extracting(Violation::toString).containsExactly(
        "limit.requests_per_second: must be greater than zero",
        "limit.burst: is required",
        "limit.key_name: is required when the key is a header or a JWT claim",
        "ttl: must be a duration such as 90s, 30m, 2h or 1h30m");
  }

  @Test
  void refusesATimeToLiveAboveTheAgentsMaximum() {
    RateLimitForm form = new RateLimitForm(LIMITED, Duration.ofHours(1));
    form.ttlProperty().set("1h30m");

    assertThat(form.check()).extracting(Violation::toString)
        .containsExactly("ttl: must be at most 1h (this agent's maximum)");
  }

  @Test
  void buildsTheRequestWithKeyNameAndTimeToLive() {
    RateLimitForm form = new RateLimitForm(LIMITED, Duration.ZERO);
    form.requestsPerSecondProperty().set("1,000");
    form.burstProperty().set("50");
    form.keyProperty().set(RateLimitKey.RATE_LIMIT_KEY_HEADER);
    form.keyNameProperty().set(" X-Tenant ");
    form.ttlProperty().set("1h30m");

    var request = form.request(ChangeContext.newBuilder().setExpectedVersion(7).setReason("r").build());

    assertThat(request.getRouteId()).isEqualTo("users-get");
    assertThat(request.getLimit().getRequestsPerSecond()).isEqualTo(1000.0);
    assertThat(request.getLimit().getBurst()).isEqualTo(50);
    assertThat(request.getLimit().getKeyName()).isEqualTo("X-Tenant");
    assertThat(request.getTtl().getSeconds()).isEqualTo(5400);
    assertThat(request.getContext().getExpectedVersion()).isEqualTo(7);
  }

  @Test
  void noTimeToLiveLeavesItOut() {
    RateLimitForm form = new RateLimitForm(LIMITED, Duration.ZERO);

    assertThat(form.request(ChangeContext.getDefaultInstance()).hasTtl()).isFalse();
  }
}
