/**
 * TLS for the data plane: listener contexts from PEM files with SNI, ALPN, optional client
 * certificates and hot reload ({@link dev.sluice.agent.tls.ListenerTls}), and per-service upstream
 * client contexts ({@link dev.sluice.agent.tls.UpstreamTls}). TLS 1.2 and 1.3 only, AEAD ciphers.
 */
@NullMarked
package dev.sluice.agent.tls;

import org.jspecify.annotations.NullMarked;
