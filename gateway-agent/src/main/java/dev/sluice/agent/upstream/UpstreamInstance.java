package dev.sluice.agent.upstream;

import java.net.InetSocketAddress;

/**
 * One upstream instance. The address is resolved when the snapshot is built (off the event loop),
 * so connecting never does a DNS lookup on an event loop; {@code label} is {@code host:port}.
 */
public record UpstreamInstance(String label, InetSocketAddress address) {

    public static UpstreamInstance resolve(String host, int port) {
        return new UpstreamInstance(host + ":" + port, new InetSocketAddress(host, port));
    }

    @Override
    public String toString() {
        return label;
    }
}
