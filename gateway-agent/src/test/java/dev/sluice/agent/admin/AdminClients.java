package dev.sluice.agent.admin;

import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Client channels and credentials for tests of the admin server over real TCP. */
public final class AdminClients {

  private AdminClients() {}

  public static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** A TLS channel trusting {@code ca}, presenting {@code client} when given. */
  public static ManagedChannel tls(int port, Path ca, @Nullable PemFiles client) throws SSLException {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(ca.toFile());
    if (client != null) {
      ssl.keyManager(client.certificate().toFile(), client.privateKey().toFile());
    }
    return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
  }

  /** The stub, sending {@code authorization: Bearer <token>} on every call. */
  public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
    return stub.withInterceptors(bearer(token));
  }

  public static ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  public static void close(@Nullable ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
