package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the TLS handshake and switches the connection to HTTP/2 when ALPN chose {@code h2};
 * HTTP/1.1 (chosen, or no ALPN from the client) keeps the pipeline as built. A failed handshake
 * (old protocol version, unknown CA, no client certificate) closes the connection and is logged at
 * debug only: refusing such clients is the expected outcome, not an error of the gateway.
 */
final class AlpnProtocolHandler extends ApplicationProtocolNegotiationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlpnProtocolHandler.class);

    private final Http2ServerSupport support;

    AlpnProtocolHandler(Http2ServerSupport support) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.support = support;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            support.switchToHttp2(ctx);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
