package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route editor for a route the gateway does not have yet, its filter list, and deletion's words. */
class NewRouteFormTest {
  private static final ChangeContext CONTEXT =
      ChangeContext.newBuilder().setExpectedVersion(7).setReason("INC-1").build();

  @Test
  void aNewRouteStartsEmptyAndNamesWhatIsMissing() {
    RouteForm form = RouteForm.newRoute(List.of("users", "orders"));

    assertThat(form.existing()).isFalse();
    assertThat(form.idProperty().get()).isEmpty();
    assertThat(form.methodsProperty().get()).as("any method").isEmpty();
    assertThat(form.serviceProperty().get()).as("chosen by the operator").isEmpty();
    assertThat(form.filters()).isEmpty();
    assertThat(form.check()).extracting(Violation::path)
        .containsExactly("route.id", "route.match.path", "route.service");
  }

  @Test
  void aGatewayWithOneServiceHasItChosenAlready() {
    assertThat(RouteForm.newRoute(List.of("users")).serviceProperty().get()).isEqualTo("users");
  }

  @Test
  void aFilledNewRouteIsSentWithItsFiltersAndNothingElse() {
    RouteForm form = RouteForm.newRoute(List.of("users", "orders"));
    form.idProperty().set(" reports ");
    form.pathProperty().set("/api/reports/:id");
    form.methodsProperty().set("get, head");
    form.serviceProperty().set("orders");
    form.timeoutProperty().set("2s");
    FilterForm size = form.addFilter("response-size");
    size.fields().get(0).text().set("1MiB");

    assertThat(form.check()).isEmpty();
    var request = form.validation(CONTEXT).getUpsertRoute();
    Route sent = request.getRoute();
    assertThat(sent.getId()).isEqualTo("reports");
    assertThat(sent.getMatch().getMethodsList()).containsExactly("GET", "HEAD");
    assertThat(sent.getService()).isEqualTo("orders");
    assertThat(sent.getResponseTimeout().getSeconds()).isEqualTo(2);
    assertThat(sent.hasRateLimit()).isFalse();
    assertThat(sent.getFiltersList()).extracting(FilterSpec::getName).containsExactly("response-size");
    assertThat(request.getReplaceFilters()).isFalse();
    assertThat(request.getContext()).isEqualTo(CONTEXT);
  }

  @Test
  void removingEveryFilterAsksTheGatewayToRemoveThem() {
    Route route = Route.newBuilder().setId("users-get")
        .setMatch(RouteMatch.newBuilder().setPath("/api/users/:id"))
        .setService("users")
        .addFilters(FilterSpec.newBuilder().setName("cors"))
        .build();
    RouteForm form = new RouteForm(route, List.of("users"));
    assertThat(form.validation(CONTEXT).getUpsertRoute().getRoute().getFiltersList()).hasSize(1);

    form.filters().clear();

    var request = form.validation(CONTEXT).getUpsertRoute();
    assertThat(request.getRoute().getFiltersList()).isEmpty();
    assertThat(request.getReplaceFilters()).isTrue();
  }

  @Test
  void twoFiltersOfOneStageAreRefusedBeforeAnythingIsSent() {
    RouteForm form = RouteForm.newRoute(List.of("users"));
    form.idProperty().set("r");
    form.pathProperty().set("/r");
    form.addFilter("jwt-auth").fields().stream().filter(f -> f.key().equals("jwksFile"))
        .findFirst().orElseThrow().text().set("/etc/sluice/jwks.json");
    form.addFilter("api-key-auth").fields().stream().filter(f -> f.key().equals("keys"))
        .findFirst().orElseThrow().text().set("[{\"name\": \"a\", \"sha256\": \"00\"}]");

    assertThat(form.check()).containsExactly(
        new Violation("route.filters[1].name", "a route runs at most one authentication filter"));
  }

  @Test
  void deletionSaysWhichRequestsWillGet404() {
    Route route = Route.newBuilder().setId("users-get")
        .setMatch(RouteMatch.newBuilder().setPath("/users/:id").addMethods("GET"))
        .build();

    assertThat(Editors.blastRadius(route))
        .startsWith("Delete route `users-get`: requests to GET /users/:id will get 404");
  }

  @Test
  void aNewTargetsDiffShowsNewBeforeEachField() {
    var lines = ChangeDiff.of("", "{\"id\":\"reports\",\"service\":\"orders\"}");

    assertThat(lines).extracting(Object::toString)
        .containsExactly("+ id: (new) → reports", "+ service: (new) → orders");
  }
}
