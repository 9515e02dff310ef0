package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.RevertAuditEntryRequest;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.filter.FilterSecrets;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestBackend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's filters through the admin API of a real agent: shown redacted, set, validated, audited and evented without secrets. */
class RouteFiltersAdminTest {

  private static final String SECRET = "orders-hmac-secret-of-at-least-32-bytes";
  private static final String NEW_SECRET = "a-brand-new-hmac-secret-of-32-bytes-plus";
  private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir
  Path dir;

  private TestBackend backend;
  private AdminTestAgent agent;

  @BeforeEach
  void start() throws Exception {
    backend = TestBackend.start("orders");
    agent = AdminTestAgent.start(dir, """
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        services:
          - name: orders
            instances: [{host: 127.0.0.1, port: %d}]
        routes:
          - id: orders
            match: {path: /orders}
            service: orders
            filters:
              - name: jwt-auth
                issuer: https://issuer.example
                audiences: [orders]
                keys: [{kid: hmac-1, secret: %s}]
              - name: response-size
                maxBytes: 1MiB
          - id: billing
            match: {path: /billing}
            service: orders
            filters:
              - name: api-key-auth
                keys: [{name: billing, sha256: %s}]
        """.formatted(backend.port(), SECRET, DIGEST) + AdminTestAgent.adminBlock());
  }

  @AfterEach
  void stop() throws Exception {
    agent.close();
    backend.close();
  }

  private ControlServiceGrpc.ControlServiceBlockingStub control() {
    return agent.as(AdminTestAgent.OPERATOR, ControlServiceGrpc.newBlockingStub(agent.channel()));
  }

  private Snapshot snapshot() {
    return agent.as(AdminTestAgent.VIEWER, AgentServiceGrpc.newBlockingStub(agent.channel()))
        .getSnapshot(GetSnapshotRequest.getDefaultInstance());
  }

  private Route route(String id) {
    return snapshot().getRoutesList().stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  private List<Map<String, Object>> effectiveFilters(String id) {
    for (GatewayState.RouteState r : agent.runtime().control().state().routes()) {
      if (r.route().id().equals(id)) {
        return r.route().filters();
      }
    }
    throw new AssertionError("no route " + id);
  }

  private UpsertRouteRequest.Builder upsert(Route route, String reason) {
    return UpsertRouteRequest.newBuilder().setRoute(route)
        .setContext(ChangeContext.newBuilder().setExpectedVersion(snapshot().getConfigVersion()).setReason(reason));
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static FilterSpec jwtFilter(String audience, String secret) {
    Struct key = Struct.newBuilder().putFields("kid", text("hmac-1")).putFields("secret", text(secret)).build();
    return FilterSpec.newBuilder().setName("jwt-auth").setSettings(Struct.newBuilder()
        .putFields("issuer", text("https://issuer.example"))
        .putFields("audiences", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(text(audience))).build())
        .putFields("keys", Value.newBuilder().setListValue(ListValue.newBuilder()
            .addValues(Value.newBuilder().setStructValue(key))).build())).build();
  }

  private static String token(String secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("hmac-1").build(),
        new JWTClaimsSet.Builder().issuer("https://issuer.example").audience("orders").subject("u-1")
            .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private int getOrders(String secret) throws Exception {
    try (RawHttp client = new RawHttp(agent.proxyPort())) {
      return client.exchange("GET /orders HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token(secret) + "\r\n\r\n")
          .status();
    }
  }

  @Test
  void theSnapshotShowsEachRoutesFiltersWithEverySecretRedacted() {
    Route orders = route("orders");
    Route billing = route("billing");

    assertThat(orders.getFiltersList()).extracting(FilterSpec::getName).containsExactly("jwt-auth", "response-size");
    Struct jwt = orders.getFilters(0).getSettings();
    assertThat(jwt.getFieldsOrThrow("issuer").getStringValue()).isEqualTo("https://issuer.example");
    Struct key = jwt.getFieldsOrThrow("keys").getListValue().getValues(0).getStructValue();
    assertThat(key.getFieldsOrThrow("kid").getStringValue()).isEqualTo("hmac-1");
    assertThat(key.getFieldsOrThrow("secret").getStringValue()).isEqualTo(FilterSecrets.REDACTED);
    assertThat(orders.getFilters(1).getSettings().getFieldsOrThrow("maxBytes").getStringValue()).isEqualTo("1MiB");
    assertThat(billing.getFilters(0).getSettings().getFieldsOrThrow("keys").getListValue().getValues(0)
        .getStructValue().getFieldsOrThrow("sha256").getStringValue()).isEqualTo(FilterSecrets.REDACTED);
    assertThat(snapshot().toString()).doesNotContain(SECRET).doesNotContain(DIGEST);
  }

  @Test
  void aRouteSentBackAsTheSnapshotShowsItKeepsItsSecrets() throws Exception {
    Route shown = route("orders");

    control().upsertRoute(upsert(shown.toBuilder().setMaxBodyBytes(4096).build(), "smaller bodies").build());

    assertThat(route("orders").getMaxBodyBytes()).isEqualTo(4096);
    assertThat(effectiveFilters("orders").toString()).contains(SECRET);
    assertThat(getOrders(SECRET)).isEqualTo(200);
    control().upsertRoute(upsert(route("billing"), "round trip").build());
    assertThat(effectiveFilters("billing").toString()).contains(DIGEST);
  }

  @Test
  void upsertSetsNewFiltersAndTheAuditNeverHoldsTheSecret() throws Exception {
    Route edited = route("orders").toBuilder().clearFilters().addFilters(jwtFilter("orders", NEW_SECRET)).build();

    control().upsertRoute(upsert(edited, "rotate the orders key").build());

    assertThat(getOrders(NEW_SECRET)).isEqualTo(200);
    assertThat(getOrders(SECRET)).isEqualTo(401);
    assertThat(route("orders").getFiltersList()).extracting(FilterSpec::getName).containsExactly("jwt-auth");
    var entry = agent.as(AdminTestAgent.VIEWER, AuditServiceGrpc.newBlockingStub(agent.channel()))
        .listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(1).build()).getEntries(0);
    assertThat(entry.getBeforeJson()).contains(FilterSecrets.REDACTED).doesNotContain(SECRET);
    assertThat(entry.getAfterJson()).contains(FilterSecrets.REDACTED).doesNotContain(NEW_SECRET);
    String auditFile = Files.readString(dir.resolve("gateway.audit.log"));
    assertThat(auditFile).contains("rotate the orders key").doesNotContain(NEW_SECRET).doesNotContain(SECRET);
    var events = agent.as(AdminTestAgent.VIEWER, EventServiceGrpc.newBlockingStub(agent.channel()));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.listEvents(ListEventsRequest.newBuilder()
        .addKinds(EventKind.EVENT_KIND_CONFIG_CHANGED).build()).getEventsCount() > 0);
    assertThat(events.listEvents(ListEventsRequest.getDefaultInstance()).toString())
        .contains("orders").doesNotContain(NEW_SECRET).doesNotContain(SECRET);
  }

  @Test
  void revertingTheRemovalOfAFileRoutesFiltersBringsItsSecretBack() throws Exception {
    Route bare = route("orders").toBuilder().clearFilters().build();
    ChangeResult opened = control().upsertRoute(upsert(bare, "open the route").setReplaceFilters(true).build());
    assertThat(getOrders("not-the-secret-but-long-enough-to-sign-hs256")).isEqualTo(200);

    control().revertAuditEntry(RevertAuditEntryRequest.newBuilder().setEntryId(opened.getAuditEntryId())
        .setContext(ChangeContext.newBuilder().setExpectedVersion(snapshot().getConfigVersion())
            .setReason("that was a mistake")).build());

    assertThat(route("orders").getFiltersList()).extracting(FilterSpec::getName)
        .containsExactly("jwt-auth", "response-size");
    assertThat(getOrders("not-the-secret-but-long-enough-to-sign-hs256")).isEqualTo(401);
    assertThat(getOrders(SECRET)).isEqualTo(200);
  }

  @Test
  void validatingAnUpsertShowsTheAfterStateWithoutTheSecret() {
    Route edited = route("orders").toBuilder().clearFilters().addFilters(jwtFilter("orders", NEW_SECRET)).build();

    ValidateChangeResponse response = control().validateChange(ValidateChangeRequest.newBuilder()
        .setUpsertRoute(upsert(edited, "dry run")).build());

    assertThat(response.getValid()).isTrue();
    assertThat(response.getAfterJson()).contains("jwt-auth").doesNotContain(NEW_SECRET);
    assertThat(response.getBeforeJson()).doesNotContain(SECRET);
  }

  @Test
  void anInvalidFilterIsRefusedWithItsFieldPathAndChangesNothing() throws Exception {
    long before = snapshot().getConfigVersion();
    Route edited = route("orders").toBuilder().clearFilters().addFilters(jwtFilter(" ", "too-short")).build();

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> control().upsertRoute(upsert(edited, "bad filter").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest detail = null;
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(BadRequest.class)) {
        detail = any.unpack(BadRequest.class);
      }
    }
    assertThat(detail).isNotNull();
    assertThat(detail.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
        .contains("route.filters[0].audiences[0]", "route.filters[0].keys[0].secret");
    assertThat(snapshot().getConfigVersion()).isEqualTo(before);
    assertThat(effectiveFilters("orders").toString()).contains(SECRET);
  }

  @Test
  void aJwksFileTheConfigFileDoesNotNameIsRefused() {
    long before = snapshot().getConfigVersion();
    FilterSpec jwks = FilterSpec.newBuilder().setName("jwt-auth").setSettings(Struct.newBuilder()
        .putFields("issuer", text("https://issuer.example"))
        .putFields("audiences", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(text("orders"))).build())
        .putFields("jwksFile", text("/etc/shadow"))).build();
    Route edited = route("orders").toBuilder().clearFilters().addFilters(jwks).build();

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> control().upsertRoute(upsert(edited, "point at another file").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("route.filters[0].jwks").contains("config file already names").doesNotContain("root:");
    assertThat(snapshot().getConfigVersion()).isEqualTo(before);
  }

  @Test
  void aPlaceholderWithNoCurrentSecretIsRefused() {
    Route edited = route("orders").toBuilder().clearFilters()
        .addFilters(jwtFilter("orders", FilterSecrets.REDACTED).toBuilder().setName("jwt-auth")).build();
    Route renamed = edited.toBuilder().setId("orders-copy").setMatch(edited.getMatch().toBuilder().setPath("/copy"))
        .build();

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> control().upsertRoute(upsert(renamed, "copy a route").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("route.filters[0].keys[0].secret");
  }

  @Test
  void withoutFiltersAnOldClientKeepsTheRoutesFiltersAndReplaceFiltersRemovesThem() throws Exception {
    Route bare = route("orders").toBuilder().clearFilters().build();

    control().upsertRoute(upsert(bare, "old client edit").build());
    assertThat(route("orders").getFiltersCount()).isEqualTo(2);
    assertThat(getOrders("not-the-secret-but-long-enough-to-sign-hs256")).isEqualTo(401);

    control().upsertRoute(upsert(bare, "open the route").setReplaceFilters(true).build());
    assertThat(route("orders").getFiltersCount()).isZero();
    assertThat(getOrders("not-the-secret-but-long-enough-to-sign-hs256")).isEqualTo(200);
  }
}
