package dev.sluice.agent.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a watcher receives: its own {@code sequence} and {@code coalescedFrames} (the frames merged
 * into this one because the watcher was not ready to take them when they were due) around a
 * {@link FrameBody} that is shared with every watcher of its group.
 */
public record TrafficFrame(long sequence, long coalescedFrames, FrameBody body) {

  public Instant start() {
    return body.start();
  }

  public Instant end() {
    return body.end();
  }

  public Duration interval() {
    return body.interval();
  }

  /** Every matching route that had traffic or requests in flight, in route id order. */
  public List<RouteFrame> routes() {
    return body.routes();
  }
}
