package dev.sluice.agent.config;

import org.jspecify.annotations.Nullable;

/** How a service's instance is chosen per request; the YAML spells it in kebab case. */
public enum BalancerKind {
    ROUND_ROBIN("round-robin"),
    /** Power of two random choices on requests in flight per unit of weight. */
    LEAST_REQUEST("least-request");

    private final String yamlName;

    BalancerKind(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    static @Nullable BalancerKind fromYaml(String name) {
        for (BalancerKind kind : values()) {
            if (kind.yamlName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
