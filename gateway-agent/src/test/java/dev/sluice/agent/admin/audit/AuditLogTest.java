package dev.sluice.agent.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.admin.MutableClock;
import dev.sluice.agent.admin.auth.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

  private static AuditDraft trip(String principal, String service) {
    return new AuditDraft(principal, Role.OPERATOR, "TripBreaker", "breaker:" + service,
        "deploy rollback", "INC-1", "{\"override\":\"NONE\"}", "{\"override\":\"FORCED_OPEN\"}",
        4, 5, AuditOutcome.APPLIED, "breaker forced open", null, false);
  }

  @Test
  void appendedEntryReadsBackWithEveryField() throws IOException {
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), AuditLogOptions.DEFAULTS, clock)) {
      AuditEntry written = log.append(trip("alice", "users"));
      assertThat(written.id()).isEqualTo("a-000001");
      assertThat(written.time()).isEqualTo(clock.instant());

      AuditEntry read = log.get("a-000001").orElseThrow();
      assertThat(read).isEqualTo(written);
      assertThat(read.beforeJson()).isEqualTo("{\"override\":\"NONE\"}");
    }
    String line = Files.readString(dir.resolve("audit.log"));
    assertThat(line).contains("\"before\":{\"override\":\"NONE\"}").endsWith("\n");
  }

  @Test
  void idsContinueAfterRestart() throws IOException {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      log.append(trip("alice", "users"));
      log.append(trip("alice", "orders"));
    }
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      assertThat(log.lastId()).contains("a-000002");
      assertThat(log.append(trip("bob", "users")).id()).isEqualTo("a-000003");
      assertThat(log.get("a-000001")).isPresent();
    }
  }

  @Test
  void tornLastLineIsSkippedAndTheNextEntryStartsOnItsOwnLine() throws IOException {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      log.append(trip("alice", "users"));
    }
    Files.writeString(file, "{\"id\":\"a-0000", StandardOpenOption.APPEND);
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      assertThat(log.append(trip("bob", "users")).id()).isEqualTo("a-000002");
      assertThat(log.list(AuditQuery.newest(10)).entries()).extracting(AuditEntry::id)
          .containsExactly("a-000002", "a-000001");
    }
  }

  @Test
  void pagesAreNewestFirstAndTheTokenContinuesWhereThePageEnded() throws IOException {
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), AuditLogOptions.DEFAULTS, clock)) {
      for (int i = 0; i < 7; i++) {
        log.append(trip("alice", "svc" + i));
      }
      List<String> ids = new ArrayList<>();
      AuditQuery query = AuditQuery.newest(3);
      int pages = 0;
      while (true) {
        AuditPage page = log.list(query);
        pages++;
        page.entries().forEach(e -> ids.add(e.id()));
        if (page.nextPageToken().isEmpty()) {
          break;
        }
        query = query.withPageToken(page.nextPageToken());
      }
      assertThat(pages).isEqualTo(3);
      assertThat(ids).containsExactly("a-000007", "a-000006", "a-000005", "a-000004", "a-000003",
          "a-000002", "a-000001");
    }
  }

  @Test
  void filtersByTargetPrefixPrincipalAndTimeWindow() throws IOException {
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), AuditLogOptions.DEFAULTS, clock)) {
      log.append(trip("alice", "users"));
      clock.advance(Duration.ofMinutes(10));
      log.append(AuditDraft.of("bob", Role.OPERATOR, "DrainInstance", "instance:users/users-2",
          "disk full", AuditOutcome.APPLIED, "drained"));
      clock.advance(Duration.ofMinutes(10));
      log.append(trip("bob", "orders"));

      assertThat(log.list(new AuditQuery(0, "", "breaker:", "", null, null)).entries())
          .extracting(AuditEntry::id).containsExactly("a-000003", "a-000001");
      assertThat(log.list(new AuditQuery(0, "", "", "bob", null, null)).entries())
          .extracting(AuditEntry::id).containsExactly("a-000003", "a-000002");
      Instant from = Instant.parse("2026-03-01T12:05:00Z");
      Instant to = Instant.parse("2026-03-01T12:15:00Z");
      assertThat(log.list(new AuditQuery(0, "", "", "", from, to)).entries())
          .extracting(AuditEntry::id).containsExactly("a-000002");
    }
  }

  @Test
  void rotatesBySizeKeepsNFilesAndReadsAcrossThem() throws IOException {
    Path file = dir.resolve("audit.log");
    AuditLogOptions small = new AuditLogOptions(1024, 2, true);
    try (AuditLog log = AuditLog.open(file, small, clock)) {
      for (int i = 0; i < 20; i++) {
        log.append(trip("alice", "svc" + i));
      }
      assertThat(file.resolveSibling("audit.log.1")).exists();
      assertThat(file.resolveSibling("audit.log.2")).exists();
      assertThat(file.resolveSibling("audit.log.3")).doesNotExist();
      assertThat(Files.size(file)).isLessThanOrEqualTo(1024);

      AuditEntry inRotated = log.list(AuditQuery.newest(1000)).entries().get(5);
      assertThat(log.get(inRotated.id())).contains(inRotated);
      List<AuditEntry> all = log.list(AuditQuery.newest(1000)).entries();
      assertThat(all.get(0).id()).isEqualTo("a-000020");
      for (int i = 1; i < all.size(); i++) {
        assertThat(AuditEntry.numberOf(all.get(i).id()))
            .isEqualTo(AuditEntry.numberOf(all.get(i - 1).id()) - 1);
      }
    }
    try (AuditLog log = AuditLog.open(file, small, clock)) {
      assertThat(log.append(trip("alice", "after-restart")).id()).isEqualTo("a-000021");
    }
  }

  @Test
  void idsContinueWhenTheLiveFileWasJustRotatedAway() throws IOException {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      log.append(trip("alice", "users"));
    }
    Files.move(file, file.resolveSibling("audit.log.1"));
    try (AuditLog log = AuditLog.open(file, AuditLogOptions.DEFAULTS, clock)) {
      assertThat(log.append(trip("alice", "users")).id()).isEqualTo("a-000002");
    }
  }

  @Test
  void invalidQueryNamesEveryBadField() {
    AuditQuery query = new AuditQuery(5_000, "not-a-token", "", "",
        Instant.parse("2026-03-01T12:00:00Z"), Instant.parse("2026-03-01T11:00:00Z"));
    assertThat(query.violations()).extracting(AuditQuery.Violation::field)
        .containsExactly("page_size", "page_token", "to");
  }

  @Test
  void listenerSeesEachAppendedEntry() throws IOException {
    List<String> seen = new ArrayList<>();
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), AuditLogOptions.DEFAULTS, clock)) {
      log.addListener(e -> seen.add(e.id()));
      log.append(trip("alice", "users"));
    }
    assertThat(seen).containsExactly("a-000001");
    assertThat(Files.readString(dir.resolve("audit.log"), StandardCharsets.UTF_8))
        .contains("\"principal\":\"alice\"");
  }

  @Test
  void concurrentAppendsGetDistinctIncreasingIdsAndWholeLines() throws Exception {
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), new AuditLogOptions(8 * 1024, 50,
        false), clock)) {
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread writer = new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            try {
              log.append(trip("alice", "svc"));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });
        writers.add(writer);
        writer.start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
      List<AuditEntry> all = log.list(AuditQuery.newest(1000)).entries();
      assertThat(all).hasSize(200);
      assertThat(all).extracting(AuditEntry::id).doesNotHaveDuplicates()
          .startsWith("a-000200").endsWith("a-000001");
    }
  }

  @Test
  void idsContinueAfterRestartWhenTheLiveFileIsLargerThanTheTailRead() throws IOException {
    Path file = dir.resolve("audit.log");
    AuditLogOptions noFsync = new AuditLogOptions(10L * 1024 * 1024, 5, false);
    try (AuditLog log = AuditLog.open(file, noFsync, clock)) {
      for (int i = 0; i < 400; i++) {
        log.append(trip("alice", "svc" + i));
      }
    }
    assertThat(Files.size(file)).isGreaterThan(64 * 1024);
    try (AuditLog log = AuditLog.open(file, noFsync, clock)) {
      assertThat(log.append(trip("bob", "users")).id()).isEqualTo("a-000401");
      assertThat(log.get("a-000001")).isPresent();
    }
  }
}
