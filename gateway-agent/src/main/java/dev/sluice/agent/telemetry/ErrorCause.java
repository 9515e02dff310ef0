package dev.sluice.agent.telemetry;

/** Failures the gateway itself classifies, counted per route beside the status classes. */
public enum ErrorCause {
  /** Could not connect to an instance (502). */
  UPSTREAM_CONNECT,
  /** The upstream did not answer in time (504). */
  UPSTREAM_TIMEOUT,
  /** The upstream answered with something unusable or reset the connection (502). */
  UPSTREAM_PROTOCOL,
  /** Refused by an open breaker (503). */
  BREAKER_REJECTED,
  /** No serving instance (503). */
  NO_INSTANCE,
  /** Refused by a filter: authentication, validation, size limits (4xx). */
  REJECTED
}
