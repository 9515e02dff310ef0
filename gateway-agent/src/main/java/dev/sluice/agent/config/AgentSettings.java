package dev.sluice.agent.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Who this agent is (its id, unique in the fleet, and its cluster, as shown in the console) and its
 * control-plane settings: the longest time-to-live an override may have and where runtime changes are
 * kept ({@code stateFile}; null means {@code <config>.state.json} beside the config file).
 */
public record AgentSettings(String id, String cluster, Duration maxOverrideTtl, @Nullable String stateFile) {

    public static final Duration DEFAULT_MAX_OVERRIDE_TTL = Duration.ofHours(24);

    public AgentSettings(String id, String cluster) {
        this(id, cluster, DEFAULT_MAX_OVERRIDE_TTL, null);
    }
}
