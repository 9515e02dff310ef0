package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.GetAuditEntryRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.PlanRevertRequest;
import dev.sluice.admin.v1.Role;
import dev.sluice.agent.admin.audit.AuditDraft;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditLogOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditServiceTest {

  @TempDir static Path dir;
  static AuditLog audit;
  static TestAdminServer admin;
  static AuditServiceGrpc.AuditServiceBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    audit = AuditLog.open(dir.resolve("audit.log"), new AuditLogOptions(2048, 3, true), clock);
    for (int i = 1; i <= 25; i++) {
      audit.append(new AuditDraft(i % 2 == 0 ? "alice" : "bob",
          dev.sluice.agent.admin.auth.Role.OPERATOR, "TripBreaker",
          (i % 5 == 0 ? "instance:users/users-" : "breaker:svc") + i, "incident drill", "INC-9",
          "{\"override\":\"NONE\"}", "{\"override\":\"FORCED_OPEN\"}", i, i + 1,
          dev.sluice.agent.admin.audit.AuditOutcome.APPLIED, "forced open", null, false));
    }
    admin = new TestAdminServer().start(List.of(new AuditGrpcService(audit)));
    stub = admin.authed(AuditServiceGrpc.newBlockingStub(admin.channel()));
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    audit.close();
  }

  @Test
  void pagesWalkTheWholeLogNewestFirstAcrossRotatedFiles() {
    List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListAuditEntriesResponse page = stub.listAuditEntries(ListAuditEntriesRequest.newBuilder()
          .setPageSize(4).setPageToken(token).build());
      page.getEntriesList().forEach(e -> ids.add(e.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(dir.resolve("audit.log.1")).exists();
    assertThat(ids).hasSizeGreaterThan(5).startsWith("a-000025", "a-000024");
    assertThat(ids).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void filtersByTargetPrefixAndPrincipal() {
    ListAuditEntriesResponse page = stub.listAuditEntries(ListAuditEntriesRequest.newBuilder()
        .setTargetPrefix("instance:").setPrincipal("bob").build());
    assertThat(page.getEntriesList()).extracting(AuditEntry::getTarget)
        .allMatch(t -> t.startsWith("instance:"));
    assertThat(page.getEntriesList()).extracting(AuditEntry::getPrincipal).containsOnly("bob");
    assertThat(page.getEntriesList()).extracting(AuditEntry::getId).contains("a-000025");
  }

  @Test
  void getReturnsEveryFieldOfTheEntry() {
    AuditEntry entry = stub.getAuditEntry(GetAuditEntryRequest.newBuilder().setId("a-000024").build());
    assertThat(entry.getPrincipal()).isEqualTo("alice");
    assertThat(entry.getRole()).isEqualTo(Role.ROLE_OPERATOR);
    assertThat(entry.getRpc()).isEqualTo("TripBreaker");
    assertThat(entry.getIncidentId()).isEqualTo("INC-9");
    assertThat(entry.getBeforeJson()).isEqualTo("{\"override\":\"NONE\"}");
    assertThat(entry.getExpectedVersion()).isEqualTo(24);
    assertThat(entry.getResultingVersion()).isEqualTo(25);
    assertThat(entry.getOutcome()).isEqualTo(AuditOutcome.AUDIT_OUTCOME_APPLIED);
    assertThat(entry.getTime().getSeconds())
        .isEqualTo(Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
  }

  @Test
  void unknownIdIsNotFoundAndMalformedIdInvalid() {
    assertThatThrownBy(() -> stub.getAuditEntry(GetAuditEntryRequest.newBuilder()
        .setId("a-999999").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("no audit entry a-999999");
        });
    assertThatThrownBy(() -> stub.getAuditEntry(GetAuditEntryRequest.newBuilder()
        .setId("entry-7").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void badQueryNamesEveryBadFieldAndChangesNothing() throws Exception {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.listAuditEntries(ListAuditEntriesRequest.newBuilder()
            .setPageSize(5000).setPageToken("bogus").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest details = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(details.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
        .containsExactly("page_size", "page_token");
    assertThat(audit.lastId()).contains("a-000025");
  }

  @Test
  void planRevertIsNotAvailableYet() {
    assertThatThrownBy(() -> stub.planRevert(PlanRevertRequest.newBuilder()
        .setEntryId("a-000001").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }
}
