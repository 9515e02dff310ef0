package dev.sluice.agent.resilience;

/**
 * An instance taken out of rotation by an {@link OutlierDetector}.
 *
 * @param instanceId the instance
 * @param ejectionCount which ejection this is, after decay (1 = first); the duration is this times
 *     the base ejection time, capped
 * @param durationNanos how long it stays out
 * @param untilNanos when it returns, on the detector's {@link Ticker}
 * @param cause one line, e.g. {@code "5 consecutive failures; ejected for 60.0 s (ejection 2)"}
 */
public record OutlierEjection(String instanceId, int ejectionCount, long durationNanos, long untilNanos, String cause) {}
