package dev.sluice.agent.admin;

import dev.sluice.agent.admin.auth.AuthDenial;
import dev.sluice.agent.admin.auth.AuthInterceptor;
import dev.sluice.agent.admin.auth.Authenticator;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin gRPC server on its own listener: TLS (optionally mTLS) or loopback plaintext, the
 * authentication interceptor in front of every service (reflection and health included, so
 * grpcurl and {@code buf curl} work with the same token), and call metrics. Build it with
 * {@link #builder}; {@link Builder#start()} refuses an invalid {@link AdminServerConfig} with every
 * violation in the message.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final Server server;
  private final HealthStatusManager health;
  private final List<AutoCloseable> closeFirst;
  private final Duration shutdownGrace;
  private final boolean tls;

  private AdminServer(Server server, HealthStatusManager health, List<AutoCloseable> closeFirst,
      Duration shutdownGrace, boolean tls) {
    this.server = server;
    this.health = health;
    this.closeFirst = closeFirst;
    this.shutdownGrace = shutdownGrace;
    this.tls = tls;
  }

  public static Builder builder(AdminServerConfig config, Authenticator authenticator,
      MeterRegistry meterRegistry) {
    return new Builder(config, authenticator, meterRegistry);
  }

  /** The port the server is bound to (the chosen one when the config asked for 0). */
  public int port() {
    return server.getPort();
  }

  public boolean isTls() {
    return tls;
  }

  /**
   * Marks the server not serving, closes the services' open streams, and stops, waiting up to the
   * grace period for calls in progress before cancelling them.
   */
  @Override
  public void close() {
    health.enterTerminalState();
    for (AutoCloseable resource : closeFirst) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Closing {} failed", resource.getClass().getSimpleName(), e);
      }
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Collects the services and wiring of an {@link AdminServer}. */
  public static final class Builder {
    private final AdminServerConfig config;
    private final Authenticator authenticator;
    private final MeterRegistry meterRegistry;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<AutoCloseable> closeFirst = new ArrayList<>();
    private Consumer<AuthDenial> denials = denial -> { };
    private Clock clock = Clock.systemUTC();
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private @Nullable AdminMetrics metrics;

    private Builder(AdminServerConfig config, Authenticator authenticator, MeterRegistry registry) {
      this.config = Objects.requireNonNull(config, "config");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
    }

    /** Adds a service; one that is {@link AutoCloseable} is closed (ending its streams) at stop. */
    public Builder addService(BindableService service) {
      services.add(service.bindService());
      if (service instanceof AutoCloseable closeable) {
        closeFirst.add(closeable);
      }
      return this;
    }

    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /** Receives every refused call (e.g. to audit it); runs on a gRPC thread and must not block. */
    public Builder denialListener(Consumer<AuthDenial> listener) {
      this.denials = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Uses these meters instead of registering new ones (share them with the services). */
    public Builder metrics(AdminMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /** Validates the config, binds the listener and starts serving. */
    public AdminServer start() throws IOException {
      List<AdminServerConfig.Violation> violations = config.violations();
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException("admin server config is invalid: " + violations.stream()
            .map(v -> v.path() + ": " + v.message()).collect(Collectors.joining("; ")));
      }
      InetAddress address = Objects.requireNonNull(config.resolve());
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(address, config.port()));
      AdminServerConfig.Tls tls = config.tls();
      if (tls != null) {
        builder.sslContext(sslContext(tls));
      } else if (!address.isLoopbackAddress()) {
        log.warn("Admin server serves PLAINTEXT on non-loopback address {} because insecure: true;"
            + " tokens cross the network unencrypted", config.bindAddress());
      }
      HealthStatusManager health = new HealthStatusManager();
      for (ServerServiceDefinition service : services) {
        builder.addService(service);
      }
      builder.addService(health.getHealthService());
      builder.addService(ProtoReflectionServiceV1.newInstance());
      builder.addService(legacyReflection());
      // Consoles keep streams open for hours: accept their keepalive pings, and ping idle
      // clients ourselves so that a vanished watcher is noticed and its stream released.
      builder.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
          .keepAliveTime(60, TimeUnit.SECONDS).keepAliveTimeout(20, TimeUnit.SECONDS);
      AdminMetrics adminMetrics = metrics != null ? metrics : new AdminMetrics(meterRegistry);
      // The last interceptor added runs first: metrics see the authentication refusals too.
      builder.intercept(new AuthInterceptor(authenticator, denials, clock));
      builder.intercept(new MetricsInterceptor(adminMetrics));
      Server server = builder.build().start();
      health.setStatus("", ServingStatus.SERVING);
      for (ServerServiceDefinition service : services) {
        health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
      }
      log.info("Admin server listening on {}:{} ({})", config.bindAddress(), server.getPort(),
          tls == null ? "plaintext" : "TLS, client certificates " + tls.clientAuth());
      return new AdminServer(server, health, List.copyOf(closeFirst), shutdownGrace, tls != null);
    }

    /** v1alpha reflection, which grpcurl releases before 1.8.8 still ask for. */
    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
      return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    private static SslContext sslContext(AdminServerConfig.Tls tls) throws IOException {
      SslContextBuilder ssl = GrpcSslContexts.configure(
          SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile()))
          .protocols("TLSv1.3", "TLSv1.2");
      if (tls.clientCa() != null) {
        ssl.trustManager(tls.clientCa().toFile());
      }
      ssl.clientAuth(switch (tls.clientAuth()) {
        case NONE -> ClientAuth.NONE;
        case OPTIONAL -> ClientAuth.OPTIONAL;
        case REQUIRE -> ClientAuth.REQUIRE;
      });
      return ssl.build();
    }
  }
}
