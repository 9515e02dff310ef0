package dev.sluice.agent.config;

/**
 * One reason a configuration file is rejected: the field path ({@code routes[2].service}) and why.
 * An empty path means the file as a whole.
 */
public record Violation(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
