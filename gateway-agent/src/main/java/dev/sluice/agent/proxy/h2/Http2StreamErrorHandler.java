package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a stream that broke the protocol with RST_STREAM and the error's code, and keeps the error from
 * the proxy handler, which would otherwise answer it with a 500 (a stream error is the client's fault
 * and gets no HTTP response). Two paths lead here: the multiplexer reports a frame-level stream error
 * (and resets the stream itself), or the HTTP conversion rejects the headers (a missing {@code
 * :method}, say), which this handler resets. Other exceptions pass on.
 */
@ChannelHandler.Sharable
final class Http2StreamErrorHandler extends ChannelInboundHandlerAdapter {

    static final Http2StreamErrorHandler INSTANCE = new Http2StreamErrorHandler();

    private static final Logger LOG = LoggerFactory.getLogger(Http2StreamErrorHandler.class);

    private Http2StreamErrorHandler() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception error) {
            LOG.debug("stream {} reset by the protocol: {}", ctx.channel(), error.getMessage());
            return;
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof Http2Exception error) {
            LOG.debug("stream {} sent a request that cannot be converted: {}", ctx.channel(), error.getMessage());
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error.error())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
