package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a stream's request head before it is converted to HTTP/1.1: {@code :method}, {@code :scheme}
 * and a non-empty {@code :path} must be present (RFC 9113 §8.3.1; Netty's decoder checks order and
 * duplicates but not absence). A malformed request is answered with RST_STREAM PROTOCOL_ERROR and
 * never reaches routing. The gateway does not tunnel: CONNECT, which omits {@code :scheme} and
 * {@code :path}, is refused the same way. One instance per stream (it remembers whether the head was
 * seen); frames it drops are released here.
 */
final class Http2PseudoHeadersHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2PseudoHeadersHandler.class);

    private boolean headSeen;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!headSeen && msg instanceof Http2HeadersFrame frame) {
            headSeen = true;
            Http2Headers headers = frame.headers();
            CharSequence path = headers.path();
            if (headers.method() == null || headers.scheme() == null || path == null || path.length() == 0) {
                ReferenceCountUtil.release(msg);
                LOG.debug("stream {} sent a request without :method, :scheme or :path", ctx.channel());
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
