package dev.sluice.agent.tls;

import io.netty.handler.ssl.ClientAuth;

/**
 * Whether a listener asks clients for a certificate: {@code NONE}; {@code OPTIONAL} (a certificate,
 * if sent, must chain to the CA bundle); {@code REQUIRE} (no valid certificate, no handshake).
 */
public enum ClientAuthMode {
    NONE(ClientAuth.NONE), OPTIONAL(ClientAuth.OPTIONAL), REQUIRE(ClientAuth.REQUIRE);

    private final ClientAuth netty;

    ClientAuthMode(ClientAuth netty) {
        this.netty = netty;
    }

    ClientAuth netty() {
        return netty;
    }
}
