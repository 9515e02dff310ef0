package dev.sluice.console.connection;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;

/**
 * Receives what a {@link GatewayClient} reads. Called on gRPC background threads, possibly
 * concurrently: implementations hand the data on and never touch UI nodes.
 */
public interface GatewayListener {
  void onState(ConnectionState state);

  void onAttached(AgentInfo agent, Session session);

  /** A full, fresh snapshot: after attach, after a reconnect, and whenever the config version moved. */
  void onSnapshot(Snapshot snapshot);

  void onTelemetry(TelemetryFrame frame);

  void onEvent(Event event);
}
