package dev.sluice.agent.telemetry;

/**
 * Where a watcher's frames go. Both methods are called on the hub's ticker thread and must return
 * at once: {@link #send} hands the frame off (e.g. queues it on a gRPC stream), and
 * {@link #isReady} says whether the consumer can take another frame; while it cannot, the hub
 * coalesces frames instead of queueing them. Frames sent in one tick to watchers of the same group
 * carry the same {@link FrameBody} instance, so a sink may encode each body once.
 */
public interface FrameSink {

  boolean isReady();

  void send(TrafficFrame frame);
}
