package dev.sluice.agent.config;

/** One upstream instance of a service, as a host name or IP and a port. */
public record InstanceConfig(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
