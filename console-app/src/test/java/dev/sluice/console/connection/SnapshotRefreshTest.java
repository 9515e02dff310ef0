package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.EventKind;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.console.demo.DemoGateway;
import dev.sluice.console.support.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry and health changes keep the agent's config version, so a client that re-read its
 * snapshot only when the version moved would miss them: the client re-reads on HEALTH_CHANGED and
 * REGISTRY_STALE events too. Real demo agent over gRPC on loopback.
 */
class SnapshotRefreshTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @TempDir
  Path dir;
  private DemoGateway gateway;
  private final RecordingListener seen = new RecordingListener();
  private GatewayClient client;

  @BeforeEach
  void start() throws Exception {
    gateway = DemoGateway.start(dir, 0);
    client = new GatewayClient(
        new GatewayTarget(gateway.adminHost(), gateway.adminPort(), gateway.viewerToken()), seen,
        Duration.ofMillis(500));
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
  }

  @Test
  void anInstanceEjectedWithoutAConfigChangeArrivesInAFreshSnapshot() {
    client.start();
    await().atMost(CEILING).until(() -> seen.phase() == ConnectionState.Phase.LIVE);
    long version = seen.lastSnapshot().getConfigVersion();
    String dead = gateway.instances("users").get(0);

    gateway.setInstance("users", dead, DemoGateway.Fault.DEAD);

    await().atMost(CEILING).until(() -> seen.events.stream().anyMatch(e ->
        e.getKind() == EventKind.EVENT_KIND_HEALTH_CHANGED
            && e.getHealthChanged().getInstanceId().equals(dead)
            && !e.getHealthChanged().getServing()));
    await().atMost(CEILING).until(() -> instance(seen.lastSnapshot(), dead)
        .filter(i -> !i.getServing()).isPresent());
    Snapshot fresh = seen.lastSnapshot();
    assertThat(fresh.getConfigVersion()).as("an ejection keeps the config version").isEqualTo(version);
    assertThat(instance(fresh, dead).orElseThrow().getNotServingReason()).isNotEmpty();
  }

  private static Optional<Instance> instance(Snapshot snapshot, String id) {
    return snapshot.getServicesList().stream().flatMap(s -> s.getInstancesList().stream())
        .filter(i -> i.getId().equals(id)).findFirst();
  }
}
