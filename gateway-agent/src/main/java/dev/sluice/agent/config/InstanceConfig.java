package dev.sluice.agent.config;

/**
 * One upstream instance of a service, as a host name or IP and a port. {@code id} names it in drains,
 * events and the console (default {@code host:port}); {@code weight} (1–10,000) is its share for the
 * balancer; {@code zone} is informational ("" when unset).
 */
public record InstanceConfig(String host, int port, String id, int weight, String zone) {

    public static final int DEFAULT_WEIGHT = 1;

    /** An instance with the default id ({@code host:port}), weight 1 and no zone. */
    public InstanceConfig(String host, int port) {
        this(host, port, host + ":" + port, DEFAULT_WEIGHT, "");
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
