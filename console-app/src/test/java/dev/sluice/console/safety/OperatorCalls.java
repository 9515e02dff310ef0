package dev.sluice.console.safety;

import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.console.support.AgentFixture;
import java.util.function.Consumer;

/** Changes another operator makes through the admin API, apart from the console under test. */
final class OperatorCalls {
  private OperatorCalls() {}

  /** Runs {@code calls} as {@link AgentFixture#OPERATOR} on the agent's admin channel. */
  static void asOperator(AgentFixture agent,
      Consumer<ControlServiceGrpc.ControlServiceBlockingStub> calls) {
    calls.accept(ControlServiceGrpc.newBlockingStub(agent.channel(AgentFixture.OPERATOR)));
  }
}
