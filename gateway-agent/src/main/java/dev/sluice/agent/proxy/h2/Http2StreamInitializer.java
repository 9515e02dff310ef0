package dev.sluice.agent.proxy.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.function.Consumer;

/**
 * The pipeline of one HTTP/2 stream (a child channel of the connection): the request head checked
 * ({@link Http2PseudoHeadersHandler}), frames ↔ HTTP/1.1 objects,
 * protocol errors turned into stream resets ({@link Http2StreamErrorHandler}), requests
 * shaped as {@code HttpServerCodec} would ({@link Http2RequestShapeHandler}), then the same exchange
 * handlers as an HTTP/1.1 connection. A stream carries exactly one exchange; closing its channel resets only that stream.
 */
@ChannelHandler.Sharable
final class Http2StreamInitializer extends ChannelInitializer<Channel> {

    private final Consumer<ChannelPipeline> exchangeHandlers;

    Http2StreamInitializer(Consumer<ChannelPipeline> exchangeHandlers) {
        this.exchangeHandlers = exchangeHandlers;
    }

    @Override
    protected void initChannel(Channel stream) {
        ChannelPipeline p = stream.pipeline();
        p.addLast("h2-pseudo", new Http2PseudoHeadersHandler());
        p.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
        p.addLast("h2-errors", Http2StreamErrorHandler.INSTANCE);
        p.addLast("h2-request", Http2RequestShapeHandler.INSTANCE);
        exchangeHandlers.accept(p);
    }
}
