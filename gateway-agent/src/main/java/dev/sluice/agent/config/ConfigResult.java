package dev.sluice.agent.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of loading a configuration: either a config that passed every check, or the full list
 * of violations (never both). Callers apply the config only when {@link #ok()}.
 */
public record ConfigResult(@Nullable GatewayConfig config, List<Violation> violations) {

    public ConfigResult {
        violations = List.copyOf(violations);
        if ((config == null) == violations.isEmpty()) {
            throw new IllegalArgumentException("exactly one of config and violations must be present");
        }
    }

    public static ConfigResult valid(GatewayConfig config) {
        return new ConfigResult(config, List.of());
    }

    public static ConfigResult invalid(List<Violation> violations) {
        return new ConfigResult(null, violations);
    }

    public boolean ok() {
        return config != null;
    }

    /** The config; only call when {@link #ok()}. */
    public GatewayConfig orThrow() {
        if (config == null) {
            throw new IllegalStateException("invalid configuration: " + violations);
        }
        return config;
    }
}
