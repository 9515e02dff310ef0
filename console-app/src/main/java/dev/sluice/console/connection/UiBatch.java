package dev.sluice.console.connection;

import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything that arrived from one gateway since the previous batch, applied to the view models in
 * one go on the UI thread. Only the newest snapshot, attach info and state matter; every frame and
 * event is kept, in arrival order. {@code prepared} is what the sink's own preparation worked out
 * from the frames off the UI thread (opaque here), or null.
 */
public record UiBatch(
    @Nullable ConnectionState state,
    @Nullable Attached attached,
    @Nullable Snapshot snapshot,
    List<TelemetryFrame> frames,
    List<Event> events,
    @Nullable Object prepared) {

  public UiBatch(@Nullable ConnectionState state, @Nullable Attached attached,
      @Nullable Snapshot snapshot, List<TelemetryFrame> frames, List<Event> events) {
    this(state, attached, snapshot, frames, events, null);
  }

  /** This batch with the work prepared for it off the UI thread. */
  public UiBatch withPrepared(Object work) {
    return new UiBatch(state, attached, snapshot, frames, events, work);
  }

  /** The agent's identity and the caller's session, read on (re)attach. */
  public record Attached(AgentInfo agent, Session session) {}

  public boolean isEmpty() {
    return state == null && attached == null && snapshot == null && frames.isEmpty()
        && events.isEmpty();
  }
}
