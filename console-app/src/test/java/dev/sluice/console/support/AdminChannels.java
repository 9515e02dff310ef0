package dev.sluice.console.support;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * Plaintext gRPC channels to a test agent's admin API that carry a bearer token, for tests that
 * check or change the agent apart from the console under test. The caller shuts the channel down.
 */
public final class AdminChannels {
  private AdminChannels() {
  }

  /** A channel to {@code host:port} sending {@code token} with every call. */
  public static ManagedChannel open(String host, int port, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return NettyChannelBuilder.forAddress(host, port).usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
  }
}
