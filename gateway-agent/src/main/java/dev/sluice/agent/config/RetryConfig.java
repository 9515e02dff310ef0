package dev.sluice.agent.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A route's retry policy: at most {@code maxAttempts} attempts in all (1 = no retry, the default),
 * each waiting at most {@code perTryTimeout} for response headers (null: the route's response timeout).
 * Retries are only ever made for idempotent methods whose body has not been streamed, after a connect
 * failure, 502, 503 or 504, and within the service's retry budget.
 */
public record RetryConfig(int maxAttempts, @Nullable Duration perTryTimeout) {

    public static final RetryConfig NONE = new RetryConfig(1, null);
    public static final int MAX_ATTEMPTS = 10;

    public boolean enabled() {
        return maxAttempts > 1;
    }
}
