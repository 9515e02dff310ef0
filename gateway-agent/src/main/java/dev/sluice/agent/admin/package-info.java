/**
 * The admin gRPC server: its listener, TLS and authentication, and the services that read the
 * agent's events, audit log and telemetry. Only the gRPC-facing classes ({@code *GrpcService},
 * {@link dev.sluice.agent.admin.AdminProtoMapper}, {@link dev.sluice.agent.admin.GrpcErrors})
 * import generated proto types; the building blocks in {@code admin.events}, {@code admin.audit},
 * {@code admin.state} and {@code admin.auth} do not.
 *
 * <p>Wiring, in the agent's start-up:
 *
 * <pre>{@code
 * EventLog events = new EventLog();
 * AuditLog audit = AuditLog.open(dataDir.resolve("audit.log"), AuditLogOptions.DEFAULTS, clock);
 * AuditTrail.publishEntries(audit, events);
 * StateLoad state = StateStore.besideConfig(configPath, clock).load();   // lay state over config
 * TelemetryHub hub = new TelemetryHub(clock, HistoryRing.standard());
 * hub.start();
 * AdminMetrics metrics = new AdminMetrics(meterRegistry);
 * ExecutorService streams = ...;   // drains WatchEvents streams
 * AdminServer server = AdminServer.builder(adminConfig, new Authenticator(tokens, certs), meterRegistry)
 *     .metrics(metrics)
 *     .denialListener(AuditTrail.auditDenials(audit))
 *     .addService(new EventGrpcService(events, streams, clock, metrics))
 *     .addService(new AuditGrpcService(audit))
 *     .addService(new TelemetryGrpcService(hub, controlPlane::addFrameExtras, metrics))
 *     .addService(controlService)    // the control plane's ControlService / AgentService
 *     .start();
 * }</pre>
 */
@NullMarked
package dev.sluice.agent.admin;

import org.jspecify.annotations.NullMarked;
