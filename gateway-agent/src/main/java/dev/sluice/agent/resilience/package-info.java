/**
 * Resilience decisions the proxy takes on every request: circuit breaker, rate limits, retry budget,
 * passive outlier detection, panic threshold and the healthy-instance floor for drains.
 *
 * <p>Everything here is plain Java without Netty. Each class reads time from an explicit {@link
 * dev.sluice.agent.resilience.Ticker}, so tests drive time by hand; the per-request methods are
 * lock-free and thread-safe. The exact semantics are documented in {@code gateway-agent/docs/resilience.md}.
 */
@NullMarked
package dev.sluice.agent.resilience;

import org.jspecify.annotations.NullMarked;
