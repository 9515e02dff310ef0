/**
 * Active health checks and instance state. {@link dev.sluice.agent.health.HealthChecks} owns one small
 * Netty event loop group, apart from the proxy's, on which every service's {@link
 * dev.sluice.agent.health.ActiveHealthChecker} probes its instances over HTTP; {@link
 * dev.sluice.agent.health.InstanceStatus} combines registry health, the active check, drains and
 * outlier ejection into "serving or not, and why"; {@link dev.sluice.agent.health.ServingSet} picks the
 * instances that get traffic, honouring the panic threshold. Semantics: {@code
 * gateway-agent/docs/discovery.md}.
 */
@NullMarked
package dev.sluice.agent.health;

import org.jspecify.annotations.NullMarked;
