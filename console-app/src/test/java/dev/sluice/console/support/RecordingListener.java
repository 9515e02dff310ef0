package dev.sluice.console.support;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything a GatewayClient reported, for assertions from the test thread. */
public final class RecordingListener implements GatewayListener {
  public final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  public final List<AgentInfo> agents = new CopyOnWriteArrayList<>();
  public final List<Session> sessions = new CopyOnWriteArrayList<>();
  public final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
  public final List<TelemetryFrame> frames = new CopyOnWriteArrayList<>();
  public final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void onState(ConnectionState state) {
    states.add(state);
  }

  @Override
  public void onAttached(AgentInfo agent, Session session) {
    agents.add(agent);
    sessions.add(session);
  }

  @Override
  public void onSnapshot(Snapshot snapshot) {
    snapshots.add(snapshot);
  }

  @Override
  public void onTelemetry(TelemetryFrame frame) {
    frames.add(frame);
  }

  @Override
  public void onEvent(Event event) {
    events.add(event);
  }

  public ConnectionState.Phase phase() {
    return states.isEmpty() ? ConnectionState.Phase.CONNECTING : states.get(states.size() - 1).phase();
  }

  public Snapshot lastSnapshot() {
    return snapshots.get(snapshots.size() - 1);
  }
}
