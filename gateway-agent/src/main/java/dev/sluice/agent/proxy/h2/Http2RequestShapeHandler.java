package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;

/**
 * Gives a stream's request the shape {@code HttpServerCodec} gives an HTTP/1.1 one, which the proxy
 * handlers expect: a request head, then content parts (a headers-only stream arrives from Netty's
 * conversion as one {@link FullHttpRequest}, and is split here). Also removes the {@code x-http2-*}
 * headers the conversion adds (stream id, scheme): they describe this hop only and must not reach an
 * upstream. Ownership of each message passes on unchanged (a split request's buffer moves into its
 * last content).
 */
@ChannelHandler.Sharable
final class Http2RequestShapeHandler extends ChannelInboundHandlerAdapter {

    static final Http2RequestShapeHandler INSTANCE = new Http2RequestShapeHandler();

    private static final ExtensionHeaderNames[] NAMES = ExtensionHeaderNames.values();

    private Http2RequestShapeHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest full) {
            strip(full.headers());
            strip(full.trailingHeaders());
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
            return;
        }
        if (msg instanceof HttpRequest request) {
            strip(request.headers());
        }
        if (msg instanceof LastHttpContent last) {
            strip(last.trailingHeaders());
        }
        ctx.fireChannelRead(msg);
    }

    private static void strip(HttpHeaders headers) {
        if (headers.isEmpty()) {
            return;
        }
        for (ExtensionHeaderNames name : NAMES) {
            headers.remove(name.text());
        }
    }
}
