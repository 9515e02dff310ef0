package dev.sluice.agent.admin;

import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditLogOptions;
import dev.sluice.agent.admin.auth.Authenticator;
import dev.sluice.agent.admin.auth.CertificateGrant;
import dev.sluice.agent.admin.auth.Role;
import dev.sluice.agent.admin.auth.Scope;
import dev.sluice.agent.admin.auth.TokenGrant;
import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.config.AdminConfig;
import dev.sluice.agent.control.GatewayControl;
import dev.sluice.agent.telemetry.TelemetryHub;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's admin side, assembled from the {@code admin:} block and a running gateway: the audit
 * log, the services (agent, control, telemetry, events, audit) and the {@link AdminServer} in front
 * of them. Start it after the runtime and close it before the runtime shuts down.
 */
public final class AgentAdmin implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentAdmin.class);

  /** The running gateway's parts the admin side reads and steers. */
  public record Gateway(GatewayControl control, TelemetryHub telemetry, EventLog events,
                        MeterRegistry meters) {}

  private final AdminServer server;
  private final AuditLog audit;
  private final ExecutorService streams;
  private final String host;

  private AgentAdmin(AdminServer server, AuditLog audit, ExecutorService streams, String host) {
    this.server = server;
    this.audit = audit;
    this.streams = streams;
    this.host = host;
  }

  /**
   * Opens the audit log and starts the admin server. Relative paths in {@code config} are resolved
   * against {@code configFile}'s directory.
   *
   * @param identity what GetAgentInfo reports; its listener list should include {@link #address()}
   * @param maxOverrideTtl the longest time-to-live an override may ask for (the agent's setting)
   */
  public static AgentAdmin start(AdminConfig config, Path configFile, AgentGrpcService.Identity identity,
      Gateway gateway, Duration maxOverrideTtl, Clock clock) throws IOException {
    Path dir = configFile.toAbsolutePath().getParent();
    AuditLog audit = AuditLog.open(auditFile(config, configFile),
        new AuditLogOptions(config.audit().maxBytes(), config.audit().keep(), true), clock);
    AuditTrail.publishEntries(audit, gateway.events());
    OverrideLedger ledger = new OverrideLedger(gateway.control(), audit);
    ledger.refresh();
    gateway.control().recordExpiriesWith(ledger);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService streams = Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "sluice-admin-stream-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    AdminMetrics metrics = new AdminMetrics(gateway.meters());
    ControlGrpcService control = new ControlGrpcService(gateway.control(), audit, ledger,
        maxOverrideTtl, clock);
    AdminServer server;
    try {
      server = AdminServer.builder(serverConfig(config, dir), authenticator(config), gateway.meters())
          .metrics(metrics)
          .clock(clock)
          .denialListener(AuditTrail.auditDenials(audit))
          .addService(new AgentGrpcService(identity, gateway.control(), gateway.telemetry().history(), ledger,
              maxOverrideTtl, clock))
          .addService(control)
          .addService(new AuditGrpcService(audit, control.planner()))
          .addService(new EventGrpcService(gateway.events(), streams, clock, metrics))
          .addService(new TelemetryGrpcService(gateway.telemetry(),
              new StateFrameExtras(gateway.control(), ledger, clock), metrics))
          .start();
    } catch (IOException | RuntimeException e) {
      streams.shutdownNow();
      audit.close();
      throw e;
    }
    return new AgentAdmin(server, audit, streams, config.listener().host());
  }

  /** The address the admin server is bound to (with the chosen port when the config said 0). */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, server.port());
  }

  public int port() {
    return server.port();
  }

  public boolean isTls() {
    return server.isTls();
  }

  @Override
  public void close() {
    server.close();
    streams.shutdown();
    try {
      if (!streams.awaitTermination(2, TimeUnit.SECONDS)) {
        streams.shutdownNow();
      }
    } catch (InterruptedException e) {
      streams.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      audit.close();
    } catch (IOException e) {
      log.warn("Closing the audit log failed", e);
    }
  }

  /** The audit log's file: configured (relative to the config's directory) or {@code <base>.audit.log}. */
  static Path auditFile(AdminConfig config, Path configFile) {
    Path dir = configFile.toAbsolutePath().getParent();
    if (config.audit().file() != null) {
      return dir.resolve(config.audit().file());
    }
    String name = configFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dir.resolve((dot > 0 ? name.substring(0, dot) : name) + ".audit.log");
  }

  static AdminServerConfig serverConfig(AdminConfig config, Path dir) {
    AdminConfig.Tls tls = config.tls();
    AdminServerConfig.Tls serverTls = tls == null ? null : new AdminServerConfig.Tls(
        dir.resolve(tls.certificate()), dir.resolve(tls.key()),
        tls.clientCa() == null ? null : dir.resolve(tls.clientCa()),
        AdminServerConfig.ClientAuth.valueOf(tls.clientAuth().name()));
    return new AdminServerConfig(config.listener().host(), config.listener().port(), serverTls, config.insecure());
  }

  static Authenticator authenticator(AdminConfig config) {
    List<TokenGrant> tokens = new ArrayList<>();
    for (AdminConfig.Token token : config.tokens()) {
      tokens.add(new TokenGrant(token.name(), token.sha256(), role(token.role()), scope(token.scope()),
          token.permissions()));
    }
    List<CertificateGrant> certificates = new ArrayList<>();
    for (AdminConfig.ClientCertificate cert : config.clientCertificates()) {
      certificates.add(new CertificateGrant(cert.subject(), role(cert.role()), scope(cert.scope()),
          cert.permissions()));
    }
    return new Authenticator(tokens, certificates);
  }

  private static Role role(AdminConfig.Role role) {
    return role == AdminConfig.Role.OPERATOR ? Role.OPERATOR : Role.VIEWER;
  }

  private static Scope scope(AdminConfig.Scope scope) {
    return new Scope(scope.services(), scope.routePrefixes());
  }
}
