package dev.sluice.agent.admin;

import static dev.sluice.agent.admin.TelemetryFrames.every;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestBackend;
import io.grpc.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-instance requests and failures in the frames of a real agent's telemetry watch, after real proxied requests. */
class TelemetryInstanceLoadTest {

  @TempDir
  Path dir;

  private TestBackend users;
  private TestBackend orders;
  private AdminTestAgent agent;
  private final Context.CancellableContext watch = Context.current().withCancellation();

  @BeforeEach
  void start() throws Exception {
    users = TestBackend.start("users");
    orders = TestBackend.start("orders");
    orders.failWith(503);
    agent = AdminTestAgent.start(dir, """
        listeners: [{name: public, host: 127.0.0.1, port: 0}]
        services:
          - name: users
            instances: [{host: 127.0.0.1, port: %d}]
          - name: orders
            instances: [{host: 127.0.0.1, port: %d}]
        routes:
          - {id: users, match: {path: /users}, service: users}
          - {id: orders, match: {path: /orders}, service: orders}
        """.formatted(users.port(), orders.port()) + AdminTestAgent.adminBlock());
  }

  @AfterEach
  void stop() throws Exception {
    watch.cancel(null);
    agent.close();
    users.close();
    orders.close();
  }

  @Test
  void framesCountTheRequestsAndFailuresEachInstanceGotOverTheirIntervals() throws Exception {
    TelemetryFrames frames = new TelemetryFrames(false);
    watch.run(() -> agent.as(AdminTestAgent.VIEWER, TelemetryServiceGrpc.newStub(agent.channel()))
        .watchTelemetry(every(Duration.ofMillis(100)), frames));
    await().atMost(Duration.ofSeconds(20)).until(() -> frames.frames.stream()
        .anyMatch(frame -> frame.getInstancesCount() == 2));
    int seenBefore = frames.frames.size();

    for (int i = 0; i < 7; i++) {
      assertThat(get("/users")).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(get("/orders")).isEqualTo(503);
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(sum(frames, "users", false)).isEqualTo(7);
      assertThat(sum(frames, "orders", false)).isEqualTo(3);
      assertThat(sum(frames, "orders", true)).isEqualTo(3);
    });
    assertThat(sum(frames, "users", true)).isZero();
    assertThat(List.copyOf(frames.frames).subList(0, seenBefore)).allSatisfy(frame ->
        assertThat(frame.getInstancesList()).allSatisfy(instance ->
            assertThat(instance.getRequests()).isZero()));
  }

  @Test
  void watchersWithDifferentIntervalsEachCountEveryRequestOnce() throws Exception {
    TelemetryFrames fast = new TelemetryFrames(false);
    TelemetryFrames slow = new TelemetryFrames(false);
    watch.run(() -> {
      var stub = agent.as(AdminTestAgent.VIEWER, TelemetryServiceGrpc.newStub(agent.channel()));
      stub.watchTelemetry(every(Duration.ofMillis(100)), fast);
      stub.watchTelemetry(every(Duration.ofSeconds(1)), slow);
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> !fast.frames.isEmpty() && !slow.frames.isEmpty());

    for (int i = 0; i < 5; i++) {
      assertThat(get("/users")).isEqualTo(200);
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(sum(fast, "users", false)).isEqualTo(5);
      assertThat(sum(slow, "users", false)).isEqualTo(5);
    });
  }

  private int get(String path) throws Exception {
    try (RawHttp client = new RawHttp(agent.proxyPort())) {
      return client.exchange("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n").status();
    }
  }

  /** The service's requests (or failures) summed over every frame received so far. */
  private static long sum(TelemetryFrames frames, String service, boolean failures) {
    long total = 0;
    for (TelemetryFrame frame : frames.frames) {
      for (InstanceTelemetry instance : frame.getInstancesList()) {
        if (instance.getService().equals(service)) {
          total += failures ? instance.getFailures() : instance.getRequests();
        }
      }
    }
    return total;
  }
}
