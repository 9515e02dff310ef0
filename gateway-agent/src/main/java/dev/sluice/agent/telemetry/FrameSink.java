package dev.sluice.agent.telemetry;

/**
 * Where a watcher's frames go. Both methods are called on the hub's ticker thread and must return
 * at once: {@link #send} hands the frame off (e.g. to a gRPC stream's executor), and
 * {@link #isReady} says whether the consumer can take another frame; while it cannot, the hub
 * coalesces frames instead of queueing them.
 */
public interface FrameSink {

  boolean isReady();

  void send(TrafficFrame frame);
}
