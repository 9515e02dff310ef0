package dev.sluice.agent.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.agent.admin.MutableClock;
import dev.sluice.agent.admin.state.RuntimeState.BreakerMode;
import dev.sluice.agent.admin.state.RuntimeState.BreakerOverride;
import dev.sluice.agent.admin.state.RuntimeState.Drain;
import dev.sluice.agent.admin.state.RuntimeState.LimitOverride;
import dev.sluice.agent.admin.state.RuntimeState.RouteDelete;
import dev.sluice.agent.admin.state.RuntimeState.RouteUpsert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OverrideInfo by(String who, Instant expiresAt) {
    return new OverrideInfo(who, "deploy rollback", "INC-7", Instant.parse("2026-03-01T11:00:00Z"),
        expiresAt, "a-000042");
  }

  private static RuntimeState sample() throws IOException {
    OverrideInfo permanent = new OverrideInfo("bob", "new endpoint", null,
        Instant.parse("2026-03-01T10:00:00Z"), null, "a-000041");
    return new RuntimeState(RuntimeState.FORMAT_VERSION, 17,
        Map.of("users-get", new RouteUpsert(JSON.readTree(
            "{\"id\":\"users-get\",\"match\":{\"path\":\"/users/:id\"},\"service\":\"users\"}"),
            permanent)),
        Map.of("legacy", new RouteDelete(permanent)),
        Map.of("users-get", new LimitOverride(JSON.readTree("{\"rps\":50,\"burst\":100}"),
            by("alice", Instant.parse("2026-03-01T12:30:00Z")))),
        Map.of("orders", new BreakerOverride(BreakerMode.FORCED_OPEN,
            by("alice", Instant.parse("2026-03-01T13:00:00Z")))),
        Map.of(Drain.key("users", "users-2"), new Drain("users", "users-2", true,
            by("carol", Instant.parse("2026-03-01T12:10:00Z")))));
  }

  @Test
  void savedStateLoadsBackEqualWithAbsoluteDeadlines() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    assertThat(store.file()).isEqualTo(dir.resolve("gateway.state.json").toAbsolutePath());
    RuntimeState state = sample();
    store.save(state);

    StateLoad load = new StateStore(store.file(), clock).load();
    assertThat(load).isInstanceOf(StateLoad.Loaded.class);
    assertThat(load.state()).isEqualTo(state);
    assertThat(load.state().drains().get("users/users-2").change().expiresAt())
        .isEqualTo(Instant.parse("2026-03-01T12:10:00Z"));
    assertThat(Files.readString(store.file())).contains("\"expiresAt\" : \"2026-03-01T12:10:00Z\"");
  }

  @Test
  void stateFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    store.save(sample());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
  }

  @Test
  void missingFileLoadsAsAbsentWithEmptyState() throws IOException {
    StateLoad load = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock).load();
    assertThat(load).isInstanceOf(StateLoad.Absent.class);
    assertThat(load.state().isEmpty()).isTrue();
  }

  @Test
  void saveReplacesThePreviousStateAndLeavesNoTempFile() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    store.save(sample());
    store.save(RuntimeState.EMPTY);
    assertThat(store.load().state()).isEqualTo(RuntimeState.EMPTY);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("gateway.state.json");
    }
  }

  @Test
  void corruptFileIsSetAsideAndReportedNotOverwritten() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    Files.writeString(store.file(), "{\"formatVersion\": 1, \"routeUpserts\": {\"x\": ");

    StateLoad load = store.load();

    assertThat(load).isInstanceOf(StateLoad.SetAside.class);
    StateLoad.SetAside aside = (StateLoad.SetAside) load;
    assertThat(aside.movedTo().getFileName().toString())
        .isEqualTo("gateway.state.json.corrupt-20260301T120000.000Z");
    assertThat(aside.movedTo()).hasContent("{\"formatVersion\": 1, \"routeUpserts\": {\"x\": ");
    assertThat(aside.problem()).contains("unreadable").contains(aside.movedTo().toString());
    assertThat(store.file()).doesNotExist();
    assertThat(load.state().isEmpty()).isTrue();
  }

  @Test
  void unknownFormatVersionIsSetAsideToo() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    Files.writeString(store.file(), "{\"formatVersion\": 99, \"configVersion\": 3}");
    StateLoad load = store.load();
    assertThat(load).isInstanceOf(StateLoad.SetAside.class);
    assertThat(((StateLoad.SetAside) load).problem()).contains("format version 99");
  }

  @Test
  void entryMissingItsRequiredMetadataIsSetAside() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    Files.writeString(store.file(),
        "{\"formatVersion\": 1, \"breakerOverrides\": {\"users\": {\"mode\": \"FORCED_OPEN\"}}}");
    assertThat(store.load()).isInstanceOf(StateLoad.SetAside.class);
  }

  @Test
  void tempFileLeftByACrashedSaveIsIgnored() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    RuntimeState state = sample();
    store.save(state);
    Files.writeString(dir.resolve(".gateway.state.json.tmp-crashed"), "{\"formatVersion\": 1, \"rou");
    assertThat(store.load().state()).isEqualTo(state);
    store.save(RuntimeState.EMPTY);
    assertThat(store.load().state()).isEqualTo(RuntimeState.EMPTY);
  }

  @Test
  void aDrainWrittenBeforeConsulMaintenanceWasKeptLoadsWithoutIt() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    Files.writeString(store.file(), """
        {"formatVersion": 1, "configVersion": 3, "routeUpserts": {}, "routeDeletes": {},
         "limitOverrides": {}, "breakerOverrides": {},
         "drains": {"users/users-2": {"service": "users", "instanceId": "users-2", "belowFloor": false,
           "change": {"setBy": "carol", "reason": "deploy", "setAt": "2026-03-01T11:00:00Z"}}}}
        """);

    StateLoad load = store.load();

    assertThat(load).isInstanceOf(StateLoad.Loaded.class);
    assertThat(load.state().drains().get("users/users-2").consulMaintenance()).isFalse();
  }

  @Test
  void aDrainThatSetConsulMaintenanceKeepsThatAcrossASave() throws IOException {
    StateStore store = StateStore.besideConfig(dir.resolve("gateway.yaml"), clock);
    store.save(new RuntimeState(RuntimeState.FORMAT_VERSION, 4, Map.of(), Map.of(), Map.of(), Map.of(),
        Map.of("users/users-2", new Drain("users", "users-2", false, by("carol", null), true))));

    assertThat(store.load().state().drains().get("users/users-2").consulMaintenance()).isTrue();
  }
}
