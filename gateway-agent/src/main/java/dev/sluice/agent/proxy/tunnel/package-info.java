/**
 * Byte tunnels between a client and an upstream connection once both agreed to leave HTTP/1.1
 * (WebSocket after {@code 101 Switching Protocols}). Entry point: {@link
 * dev.sluice.agent.proxy.tunnel.WebSocketTunnel}.
 */
@NullMarked
package dev.sluice.agent.proxy.tunnel;

import org.jspecify.annotations.NullMarked;
