package dev.sluice.agent.health;

import java.time.Instant;

/**
 * An instance whose active check changed whether it may serve: to unhealthy (with the failure that
 * decided it) or back to healthy. The first success of a new instance is not a flip.
 *
 * @param reason for unhealthy the last failure, e.g. {@code "status 503"}; for healthy {@code
 *     "health check passing"}
 */
public record HealthFlip(String service, String instanceId, String address, boolean healthy, String reason, Instant at) {}
