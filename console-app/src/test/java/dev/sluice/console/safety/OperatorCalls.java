package dev.sluice.console.safety;

import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.console.support.AgentFixture;
import java.util.function.Consumer;

/** Changes another operator makes through the admin API, apart from the console under test. */
final class OperatorCalls {
  private OperatorCalls() {}

  /** Runs {@code calls} on a fresh operator channel to {@code agent}, closed afterwards. */
  static void asOperator(AgentFixture agent,
      Consumer<ControlServiceGrpc.ControlServiceBlockingStub> calls) {
    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + AgentFixture.OPERATOR);
    io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
        .forAddress("127.0.0.1", agent.adminPort()).usePlaintext()
        .intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers)).build();
    try {
      calls.accept(ControlServiceGrpc.newBlockingStub(channel));
    } finally {
      channel.shutdownNow();
    }
  }
}
