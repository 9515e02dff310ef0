package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.Origin;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitStatus;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteFormTest {
  private static final Route USERS = Route.newBuilder()
      .setId("users-get")
      .setMatch(RouteMatch.newBuilder().setPath("/api/users/:id").addMethods("GET"))
      .setService("users")
      .addFilters(FilterSpec.newBuilder().setName("request-id"))
      .setRateLimit(RateLimitStatus.newBuilder()
          .setConfigured(RateLimit.newBuilder().setRequestsPerSecond(100).setBurst(20))
          .setEffective(RateLimit.newBuilder().setRequestsPerSecond(5).setBurst(1)))
      .setOrigin(Origin.ORIGIN_FILE)
      .build();

  @Test
  void anUnchangedRouteHasNoProblems() {
    assertThat(new RouteForm(USERS, List.of("users", "orders")).check()).isEmpty();
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    RouteForm form = new RouteForm(USERS, List.of("users", "orders"));
    form.pathProperty().set("/api/*rest/more");
    form.methodsProperty().set("GET, FETCH, get");
    form.serviceProperty().set("payments");
    form.stripPrefixProperty().set("api");
    form.timeoutProperty().set("fast");
    form.maxAttemptsProperty().set("11");

    assertThat(form.check()).extracting(Violation::path).containsExactly(
        "route.match.path", "route.match.methods", "route.match.methods", "route.service",
        "route.strip_prefix", "route.response_timeout", "route.retry.max_attempts");
  }

  @Test
  void aParamNeedsAName() {
    RouteForm form = new RouteForm(USERS, List.of());
    form.pathProperty().set("/api/users/:");

    assertThat(form.check()).extracting(Violation::toString)
        .containsExactly("route.match.path: ':' needs a name, e.g. :id or *rest");
  }

  @Test
  void theRouteSentKeepsWhatTheFormDoesNotShowAndDropsTheRuntimeLimit() {
    RouteForm form = new RouteForm(USERS, List.of("users"));
    form.methodsProperty().set("get, head");
    form.timeoutProperty().set("1m30s");
    form.maxAttemptsProperty().set("3");

    Route sent = form.route();

    assertThat(sent.getMatch().getMethodsList()).containsExactly("GET", "HEAD");
    assertThat(sent.getResponseTimeout().getSeconds()).isEqualTo(90);
    assertThat(sent.getRetry().getMaxAttempts()).isEqualTo(3);
    assertThat(sent.getFiltersList()).extracting(FilterSpec::getName).containsExactly("request-id");
    assertThat(sent.getRateLimit().getConfigured().getRequestsPerSecond()).isEqualTo(100);
    assertThat(sent.getRateLimit().hasEffective()).isFalse();
    assertThat(sent.getOrigin()).isEqualTo(Origin.ORIGIN_UNSPECIFIED);
  }
}
