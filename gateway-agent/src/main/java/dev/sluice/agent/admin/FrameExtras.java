package dev.sluice.agent.admin;

import dev.sluice.admin.v1.TelemetryFrame;

/**
 * What the control plane adds to every telemetry frame besides route traffic: the config version,
 * breakers and instances. Called on the telemetry ticker thread once per frame body encoded (once
 * per group of watchers sent the same frame), so it should hand out state it already holds rather
 * than compute it.
 */
public interface FrameExtras {

  /** Adds nothing but a config version of 0. */
  FrameExtras NONE = frame -> { };

  /** Sets {@code config_version} and adds {@code breakers} and {@code instances} to the frame. */
  void addTo(TelemetryFrame.Builder frame);
}
