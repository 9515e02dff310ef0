package dev.sluice.agent.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client-side pipeline of a proxy listener, top to bottom: idle detection (an idle keep-alive
 * connection is closed; a busy one is governed by the upstream timeouts), HTTP/1.1 codec (decode failures
 * surface as a failed {@code decoderResult()}, answered with 400/414/431), {@code Expect:
 * 100-continue} answered by the gateway, then {@link ProxyFrontendHandler}, which routes, relays and
 * decides keep-alive. No aggregator: bodies stream in both directions.
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_INITIAL_LINE_LENGTH = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext context;
    private final long idleTimeoutMillis;

    public ProxyInitializer(ProxyContext context, Duration idleTimeout) {
        this.context = context;
        this.idleTimeoutMillis = idleTimeout.toMillis();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        context.clientConnections().add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new ConnectionIdleHandler(idleTimeoutMillis, TimeUnit.MILLISECONDS));
        p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE_LENGTH, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context));
    }

    /** Asks a client connection to close once its current exchange is done (used by shutdown). */
    public static void drain(io.netty.channel.Channel clientConnection) {
        clientConnection.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
    }
}
