/**
 * What the agent tells operators about traffic: Micrometer meters per route (pre-created when a
 * snapshot is built), the Prometheus {@code /metrics} listener, and the access log.
 */
@NullMarked
package dev.sluice.agent.telemetry;

import org.jspecify.annotations.NullMarked;
