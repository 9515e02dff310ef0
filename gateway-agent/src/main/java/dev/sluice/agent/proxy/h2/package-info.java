/**
 * HTTP/2 towards clients: ALPN ({@code h2}) on TLS listeners and h2c prior knowledge on plaintext
 * ones, each stream served by the HTTP/1.1 proxy handlers through Netty's {@code Http2MultiplexHandler}
 * (one child channel per stream). Entry point: {@link dev.sluice.agent.proxy.h2.Http2ServerSupport}.
 */
@NullMarked
package dev.sluice.agent.proxy.h2;

import org.jspecify.annotations.NullMarked;
