package dev.sluice.agent.config;

import dev.sluice.agent.resilience.RateLimitSettings;
import org.jspecify.annotations.Nullable;

/**
 * A route's token-bucket limit: {@code requestsPerSecond} refill, {@code burst} capacity, one bucket
 * for the route or one per value of a key. {@code keyName} names the header or JWT claim and is set
 * exactly when the key needs it.
 */
public record RateLimitConfig(double requestsPerSecond, int burst, Key key, @Nullable String keyName) {

    /** What the buckets are keyed by. */
    public enum Key {
        ROUTE("route"), CLIENT_IP("clientIp"), HEADER("header"), JWT_CLAIM("jwtClaim");

        private final String yamlName;

        Key(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        public boolean needsName() {
            return this == HEADER || this == JWT_CLAIM;
        }

        public static @Nullable Key fromYaml(String name) {
            for (Key key : values()) {
                if (key.yamlName.equals(name)) {
                    return key;
                }
            }
            return null;
        }
    }

    public RateLimitSettings settings() {
        return new RateLimitSettings(requestsPerSecond, burst);
    }
}
