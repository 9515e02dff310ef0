package dev.sluice.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.BreakerState;
import dev.sluice.console.support.AgentProbe;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's faults act on the real agent the way the Demo menu promises. */
class DemoGatewayTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  @TempDir
  Path dir;
  private DemoGateway demo;
  private AgentProbe agent;

  @BeforeEach
  void start() throws Exception {
    demo = DemoGateway.start(dir, 0);
    agent = new AgentProbe(demo);
  }

  @AfterEach
  void stop() {
    agent.close();
    demo.close();
  }

  @Test
  void servesTwentyRoutesOverFiveServicesWithTwoToFourInstances() {
    var snapshot = agent.snapshot();

    assertThat(snapshot.getRoutesCount()).isEqualTo(20);
    assertThat(snapshot.getServicesList()).hasSize(5)
        .allSatisfy(s -> assertThat(s.getInstancesCount()).isBetween(2, 4));
  }

  @Test
  void failingServiceOpensItsBreakerAndHealingClosesItAgain() {
    demo.setService("payments", DemoGateway.Fault.ERRORS);

    await().atMost(CEILING).until(() ->
        agent.breaker("payments").getComputedState() == BreakerState.BREAKER_STATE_OPEN);

    demo.healAll();
    await().atMost(CEILING).until(() ->
        agent.breaker("payments").getComputedState() == BreakerState.BREAKER_STATE_CLOSED);
  }

  @Test
  void deadInstanceIsEjectedWhileItsServiceKeepsServing() {
    demo.setInstance("catalog", "catalog-1", DemoGateway.Fault.DEAD);

    await().atMost(CEILING).until(() -> agent.instance("catalog", "catalog-1").hasEjectedUntil());
    assertThat(agent.breaker("catalog").getComputedState())
        .isEqualTo(BreakerState.BREAKER_STATE_CLOSED);
  }
}
