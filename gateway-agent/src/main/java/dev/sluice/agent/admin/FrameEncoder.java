package dev.sluice.agent.admin;

import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.agent.telemetry.FrameBody;
import dev.sluice.agent.telemetry.TrafficFrame;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Encodes each {@link FrameBody} once per histogram choice, with the control plane's extras, and
 * hands every watcher of the group the same bytes inside its own {@link EncodedFrame}. Bodies are
 * remembered by identity for the hub tick that built them only. Called from the hub's tick, which
 * runs one at a time, so it needs no lock.
 */
final class FrameEncoder {

  private final FrameExtras extras;
  private final AdminMetrics metrics;
  private final Map<FrameBody, byte[]> withHistograms = new IdentityHashMap<>();
  private final Map<FrameBody, byte[]> withoutHistograms = new IdentityHashMap<>();
  private long tick = -1;

  FrameEncoder(FrameExtras extras, AdminMetrics metrics) {
    this.extras = extras;
    this.metrics = metrics;
  }

  EncodedFrame encode(TrafficFrame frame, boolean omitHistograms) {
    FrameBody body = frame.body();
    if (body.tick() != tick) {
      withHistograms.clear();
      withoutHistograms.clear();
      tick = body.tick();
    }
    Map<FrameBody, byte[]> encoded = omitHistograms ? withoutHistograms : withHistograms;
    byte[] bytes = encoded.get(body);
    if (bytes == null) {
      TelemetryFrame.Builder proto = AdminProtoMapper.frame(body, omitHistograms);
      extras.addTo(proto);
      bytes = proto.build().toByteArray();
      encoded.put(body, bytes);
      metrics.frameEncoded();
    }
    return new EncodedFrame(frame.sequence(), frame.coalescedFrames(), bytes);
  }
}
