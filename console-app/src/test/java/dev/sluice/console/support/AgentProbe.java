package dev.sluice.console.support;

import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.agent.admin.AdminClients;
import dev.sluice.console.demo.DemoGateway;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/**
 * Reads a real agent's state over its own admin API, apart from the console under test, so a test
 * checks what the agent did rather than what the console shows.
 */
public final class AgentProbe implements AutoCloseable {
  private final ManagedChannel channel;
  private final AgentServiceGrpc.AgentServiceBlockingStub agent;

  public AgentProbe(DemoGateway gateway) {
    channel = AdminClients.plaintext(gateway.adminPort());
    agent = AdminClients.withToken(AgentServiceGrpc.newBlockingStub(channel), gateway.viewerToken());
  }

  public Snapshot snapshot() {
    return agent.withDeadlineAfter(5, TimeUnit.SECONDS)
        .getSnapshot(GetSnapshotRequest.getDefaultInstance());
  }

  public Breaker breaker(String service) {
    return snapshot().getBreakersList().stream().filter(b -> b.getService().equals(service))
        .findFirst().orElseThrow();
  }

  public Instance instance(String service, String instanceId) {
    return snapshot().getServicesList().stream()
        .filter(s -> s.getName().equals(service))
        .flatMap(s -> s.getInstancesList().stream())
        .filter(i -> i.getId().equals(instanceId))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
