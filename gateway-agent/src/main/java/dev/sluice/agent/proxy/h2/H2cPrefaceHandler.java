package dev.sluice.agent.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * The first handler after TLS-less connection setup: looks at the first bytes and, when they are the
 * HTTP/2 client preface ({@code PRI * HTTP/2.0…}), switches the connection to h2c; as soon as a byte
 * differs it leaves HTTP/1.1 in place. Either way it removes itself and the bytes it held move on
 * unchanged (ByteToMessageDecoder passes its cumulation to the next handler on removal).
 */
final class H2cPrefaceHandler extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Http2ServerSupport support;

    H2cPrefaceHandler(Http2ServerSupport support) {
        this.support = support;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        for (int i = 0; i < length; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(i)) {
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (length == PREFACE.readableBytes()) {
            support.switchToHttp2(ctx);
            ctx.pipeline().remove(this);
        }
    }
}
