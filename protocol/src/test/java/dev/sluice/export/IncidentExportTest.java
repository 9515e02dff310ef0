package dev.sluice.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.HistoryPoint;
import dev.sluice.admin.v1.Percentiles;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.Snapshot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentExportTest {

  private static final Instant FROM = Instant.parse("2026-11-25T14:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-25T14:30:00Z");

  @TempDir
  Path dir;

  @Test
  void anExportRoundTripsThroughTheZipAndTheReader() throws IOException {
    byte[] png = png(64, 32);
    IncidentExport export = sample().addImage("route-users-p99", "users p99", List.of("users"), png).build();
    Path file = dir.resolve("inc.sluice-incident.zip");

    IncidentExportWriter.write(export, file);
    IncidentExport read = IncidentExportReader.read(file);

    assertThat(read.document()).isEqualTo(export.document());
    assertThat(read.imageFiles()).containsExactly("images/route-users-p99.png");
    assertThat(read.image("images/route-users-p99.png")).isEqualTo(png);
    assertThat(read.document().getImages(0).getWidth()).isEqualTo(64);
    assertThat(read.document().getImages(0).getHeight()).isEqualTo(32);
  }

  @Test
  void theDocumentIsPlainProtoJsonAScriptCanRead() {
    String json = IncidentExportWriter.json(sample().build());

    assertThat(json).contains("\"formatVersion\": 1", "\"from\": \"2026-11-25T14:00:00Z\"",
        "\"snapshotAtEnd\"", "\"auditEntries\"", "\"p99Micros\": \"80000\"", "\"resolution\": \"10s\"");
  }

  @Test
  void eventsComeInSequenceOrderAndAuditEntriesOldestFirst() {
    IncidentExport export = sample()
        .addEvents(List.of(event(3, "late"), event(1, "early")))
        .addAuditEntries(List.of(audit("a-000002", TO.minusSeconds(5)), audit("a-000001", FROM)))
        .build();

    assertThat(export.document().getEventsList()).extracting(Event::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(export.document().getAuditEntriesList()).extracting(AuditEntry::getId)
        .containsExactly("a-000001", "a-000009", "a-000002");
  }

  @Test
  void aBareDocumentAndAnUnpackedDirectoryReadToo() throws IOException {
    IncidentExport export = sample().addImage("chart", "c", List.of(), png(4, 4)).build();
    Path unpacked = Files.createDirectories(dir.resolve("unpacked/images"));
    Files.writeString(unpacked.resolveSibling(IncidentExport.DOCUMENT), IncidentExportWriter.json(export));
    Files.write(unpacked.resolve("chart.png"), export.image("images/chart.png"));
    Path bare = dir.resolve("incident.json");
    Files.writeString(bare, IncidentExportWriter.json(sample().build()));

    assertThat(IncidentExportReader.read(dir.resolve("unpacked")).document()).isEqualTo(export.document());
    assertThat(IncidentExportReader.read(bare).document()).isEqualTo(sample().build().document());
  }

  @Test
  void fieldsFromANewerWriterAreIgnoredButANewerFormatIsRefused() throws IOException {
    String json = IncidentExportWriter.json(sample().build());
    Path extra = dir.resolve("extra.json");
    Files.writeString(extra, json.replaceFirst("\\{", "{\"addedLater\": {\"x\": 1},"));
    Path newer = dir.resolve("newer.json");
    Files.writeString(newer, json.replace("\"formatVersion\": 1", "\"formatVersion\": 2"));

    assertThat(IncidentExportReader.read(extra).document()).isEqualTo(sample().build().document());
    assertThatThrownBy(() -> IncidentExportReader.read(newer)).isInstanceOf(IOException.class)
        .hasMessageContaining("formatVersion 2");
  }

  @Test
  void aBrokenExportIsRefusedWithEveryProblemNamed() throws IOException {
    String json = IncidentExportWriter.json(sample().addImage("gone", "g", List.of(), png(2, 2)).build())
        .replace("\"formatVersion\": 1", "\"formatVersion\": 9");
    Path file = dir.resolve("broken.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> IncidentExportReader.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("formatVersion 9").hasMessageContaining("images/gone.png' is listed but its file is missing");
    assertThatThrownBy(() -> IncidentExport.builder().addImage("x", "x", List.of(), new byte[] {1, 2}).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window: needs from and to").hasMessageContaining("is not a PNG file");
  }

  private static IncidentExport.Builder sample() {
    Snapshot end = Snapshot.newBuilder().setConfigVersion(12).setTakenAt(ts(TO))
        .addRoutes(Route.newBuilder().setId("users").setService("users")
            .setMatch(RouteMatch.newBuilder().setPath("/users")))
        .addBreakers(Breaker.newBuilder().setService("users").setOverride(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN))
        .build();
    return IncidentExport.builder()
        .window(FROM, TO)
        .generator("test")
        .exportedAt(TO.plusSeconds(60))
        .agent(AgentInfo.newBuilder().setAgentId("edge-7").setCluster("eu").setConfigVersion(12).build())
        .snapshotAtEnd(end)
        .addEvents(List.of(event(2, "breaker users opened")))
        .oldestAvailableEventSequence(1)
        .addAuditEntries(List.of(audit("a-000009", FROM.plusSeconds(60))))
        .history(Duration.newBuilder().setSeconds(10).build(), List.of(100L, 150L),
            List.of(RouteHistory.newBuilder().setRouteId("users")
                .addPoints(HistoryPoint.newBuilder().setStart(ts(FROM)).setRequests(120)
                    .setLatency(Percentiles.newBuilder().setP50Micros(5000).setP99Micros(80000)))
                .build()))
        .incident("INC-4211", "users 503s", "");
  }

  private static Event event(long sequence, String summary) {
    return Event.newBuilder().setSequence(sequence).setTime(ts(FROM.plusSeconds(sequence)))
        .setKind(EventKind.EVENT_KIND_BREAKER_TRANSITION).setSummary(summary).build();
  }

  private static AuditEntry audit(String id, Instant time) {
    return AuditEntry.newBuilder().setId(id).setTime(ts(time)).setPrincipal("alice").setRpc("TripBreaker")
        .setTarget("breaker:users").setReason("bad deploy").setOutcome(AuditOutcome.AUDIT_OUTCOME_APPLIED).build();
  }

  private static Timestamp ts(Instant i) {
    return IncidentExport.timestamp(i);
  }

  private static byte[] png(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
