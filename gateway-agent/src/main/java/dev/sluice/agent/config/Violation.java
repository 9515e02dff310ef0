package dev.sluice.agent.config;

import java.util.Objects;

/**
 * One reason a configuration or a change is rejected: the field path ({@code routes[2].service},
 * {@code windowSize}) and why, in words an operator understands. An empty path means the input as a whole.
 */
public record Violation(String path, String message) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** The same violation with {@code prefix + "."} in front of its path, for nesting in a config tree. */
    public Violation under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        return new Violation(path.isEmpty() ? prefix : prefix + "." + path, message);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
