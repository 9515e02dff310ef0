package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an HTTP/2 connection the way the HTTP/1.1 handler ends its own: when it has been idle with no
 * stream open, or when the gateway drains (shutdown). Closing goes through the frame codec, which
 * sends GOAWAY and lets streams already open finish (up to {@link Http2ServerSupport#GRACEFUL_SHUTDOWN_MILLIS}).
 * Also the last stop of connection errors: the codec has already answered a protocol error (GOAWAY),
 * so it is only logged at debug; a network error closes the connection.
 */
final class Http2ConnectionLifecycleHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2ConnectionLifecycleHandler.class);

    private final Http2FrameCodec codec;
    private final Object drainEvent;

    Http2ConnectionLifecycleHandler(Http2FrameCodec codec, Object drainEvent) {
        this.codec = codec;
        this.drainEvent = drainEvent;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        if (evt == drainEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception || cause.getCause() instanceof Http2Exception) {
            LOG.debug("HTTP/2 connection {} broke the protocol: {}", ctx.channel(), cause.toString());
            return;
        }
        if (!(cause instanceof IOException)) {
            LOG.warn("HTTP/2 connection {} failed; closing it", ctx.channel(), cause);
        }
        ctx.close();
    }
}
