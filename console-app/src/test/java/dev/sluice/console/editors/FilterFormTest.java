package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.admin.v1.FilterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A filter's settings as form fields and back, as the route editor sends them. */
class FilterFormTest {
  /** As a snapshot shows a JWT filter: the HMAC secret and the PEM key redacted. */
  private static final FilterSpec JWT = FilterSpec.newBuilder()
      .setName("jwt-auth")
      .setSettings(Struct.newBuilder()
          .putFields("issuer", text("https://id.example.com"))
          .putFields("audiences", list(text("orders-api"), text("billing")))
          .putFields("keys", list(
              object(Struct.newBuilder().putFields("kid", text("hmac-2026"))
                  .putFields("secret", text("<redacted>"))),
              object(Struct.newBuilder().putFields("kid", text("rsa-2026"))
                  .putFields("publicKey", text("<redacted sha256:9f2c41aa0b7e>")))))
          .putFields("requireExpiration", Value.newBuilder().setBoolValue(true).build())
          .putFields("clockSkew", text("45s")))
      .build();

  @Test
  void anUntouchedFilterIsSentBackExactlyAsTheSnapshotShowedIt() {
    FilterForm form = new FilterForm(JWT);

    assertThat(form.check("route.filters[0]")).isEmpty();
    assertThat(form.spec()).isEqualTo(JWT);
  }

  @Test
  void editingOtherFieldsKeepsTheRedactedPlaceholdersSoTheGatewayKeepsItsSecrets() {
    FilterForm form = new FilterForm(JWT);
    field(form, "issuer").set("https://login.example.com");
    field(form, "audiences").set("orders-api, billing, ledger");

    var settings = form.spec().getSettings().getFieldsMap();

    assertThat(settings.get("issuer").getStringValue()).isEqualTo("https://login.example.com");
    assertThat(settings.get("audiences").getListValue().getValuesList())
        .extracting(Value::getStringValue).containsExactly("orders-api", "billing", "ledger");
    assertThat(settings.get("keys")).isEqualTo(JWT.getSettings().getFieldsMap().get("keys"));
    assertThat(settings.get("clockSkew").getStringValue()).isEqualTo("45s");
  }

  @Test
  void aKeyAddedInTheJsonKeepsTheRedactedOnesBesideIt() {
    FilterForm form = new FilterForm(JWT);
    var keys = field(form, "keys");
    assertThat(keys.get()).contains("\"secret\" : \"<redacted>\"");

    keys.set(keys.get().replaceFirst("\\[", "[ {\"kid\": \"hmac-2027\", \"secret\": \"a-new-secret-of-at-least-32-bytes!!\"},"));

    assertThat(form.check("route.filters[0]")).isEmpty();
    List<Value> sent = form.spec().getSettings().getFieldsMap().get("keys").getListValue().getValuesList();
    assertThat(sent).hasSize(3);
    assertThat(sent.get(1).getStructValue().getFieldsMap().get("secret").getStringValue())
        .isEqualTo("<redacted>");
    assertThat(sent.get(2).getStructValue().getFieldsMap().get("publicKey").getStringValue())
        .isEqualTo("<redacted sha256:9f2c41aa0b7e>");
  }

  @Test
  void aClearedFieldIsLeftOutAndBadTextIsReportedAtItsPath() {
    FilterForm form = new FilterForm(JWT);
    field(form, "clockSkew").set("");
    field(form, "requireExpiration").set("yes");
    field(form, "keys").set("{\"kid\": \"k\"}");
    field(form, "forwardClaims").set("{sub: X-User-Id");

    assertThat(form.check("route.filters[2]")).extracting(Violation::path).containsExactly(
        "route.filters[2].keys", "route.filters[2].requireExpiration", "route.filters[2].forwardClaims");
    field(form, "requireExpiration").set("false");
    field(form, "keys").set("[]");
    field(form, "forwardClaims").set("{\"sub\": \"X-User-Id\"}");
    var settings = form.spec().getSettings().getFieldsMap();
    assertThat(settings).doesNotContainKey("clockSkew");
    assertThat(settings.get("requireExpiration").getBoolValue()).isFalse();
    assertThat(settings.get("forwardClaims").getStructValue().getFieldsMap().get("sub").getStringValue())
        .isEqualTo("X-User-Id");
  }

  @Test
  void aNewRequestValidationFilterNeedsARuleAndSendsTheJsonAsTyped() {
    FilterForm form = FilterForm.blank("request-validation");
    assertThat(form.check("route.filters[0]")).extracting(Violation::path)
        .containsExactly("route.filters[0].headers");

    field(form, "headers").set("{\"X-Tenant\": {\"required\": true, \"minLength\": 3}}");

    assertThat(form.check("route.filters[0]")).isEmpty();
    Struct rule = form.spec().getSettings().getFieldsMap().get("headers").getStructValue()
        .getFieldsMap().get("X-Tenant").getStructValue();
    assertThat(rule.getFieldsMap().get("required").getBoolValue()).isTrue();
    assertThat(rule.getFieldsMap().get("minLength").getNumberValue()).isEqualTo(3.0);
    assertThat(form.spec().getSettings().getFieldsMap()).containsOnlyKeys("headers");
  }

  @Test
  void settingsThisConsoleDoesNotKnowAreShownAsJsonAndKept() {
    FilterSpec spec = FilterSpec.newBuilder().setName("response-size")
        .setSettings(Struct.newBuilder()
            .putFields("maxBytes", Value.newBuilder().setNumberValue(1048576).build())
            .putFields("mode", text("strict")))
        .build();
    FilterForm form = new FilterForm(spec);

    assertThat(form.fields()).extracting(FilterForm.Field::key).containsExactly("maxBytes", "mode");
    assertThat(field(form, "maxBytes").get()).isEqualTo("1048576");
    assertThat(form.spec()).isEqualTo(spec);
    field(form, "maxBytes").set("10MiB");
    assertThat(form.spec().getSettings().getFieldsMap().get("maxBytes").getStringValue()).isEqualTo("10MiB");
  }

  @Test
  void readableLinesShowTypeSettingsAndRedactions() {
    assertThat(FiltersSection.lines(JWT)).containsExactly(
        "issuer: https://id.example.com",
        "audiences: orders-api, billing",
        "keys[0]: kid: hmac-2026, secret: <redacted>",
        "keys[1]: kid: rsa-2026, publicKey: <redacted sha256:9f2c41aa0b7e>",
        "requireExpiration: true",
        "clockSkew: 45s");
    FilterForm validation = FilterForm.blank("request-validation");
    field(validation, "headers").set("{\"X-Tenant\": {\"required\": true, \"pattern\": \"[a-z]{3,16}\"}}");
    assertThat(FiltersSection.lines(validation.spec()))
        .containsExactly("headers.X-Tenant: required: true, pattern: [a-z]{3,16}");
  }

  private static javafx.beans.property.StringProperty field(FilterForm form, String key) {
    return form.fields().stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().text();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value list(Value... values) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(List.of(values))).build();
  }

  private static Value object(Struct.Builder struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }
}
