package dev.sluice.agent.proxy;

import dev.sluice.agent.config.ListenerConfig;
import dev.sluice.agent.config.ListenerLimits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client-side pipeline of a proxy listener, top to bottom: the listener's connection limit, idle
 * detection (an idle keep-alive connection is closed; a busy one is governed by the upstream timeouts),
 * the raw-byte scan (obs-fold, chunk extensions, the header-read deadline), the HTTP/1.1 codec, the
 * framing guard (every decode result and the head rules; refusals become 400/408/414/431/505 and a
 * close), {@code Expect: 100-continue} answered by the gateway, then {@link ProxyFrontendHandler},
 * which routes, relays and decides keep-alive. No aggregator: bodies stream in both directions.
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext context;
    private final long idleTimeoutMillis;
    private final ListenerLimits limits;
    private final ListenerConnectionLimitHandler connectionLimit;

    public ProxyInitializer(ProxyContext context, ListenerConfig listener) {
        this.context = context;
        this.idleTimeoutMillis = listener.idleTimeout().toMillis();
        this.limits = listener.limits();
        this.connectionLimit = new ListenerConnectionLimitHandler(limits.maxConnections(),
                context.meters().connectionsRefused(listener.name()));
    }

    /** A listener with the default limits. */
    public ProxyInitializer(ProxyContext context, Duration idleTimeout) {
        this(context, new ListenerConfig("proxy", "0.0.0.0", 0, idleTimeout));
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        context.clientConnections().add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("connectionLimit", connectionLimit);
        p.addLast("idle", new ConnectionIdleHandler(idleTimeoutMillis, TimeUnit.MILLISECONDS));
        p.addLast("wireScan", new RequestWireScanHandler(limits.headerReadTimeout().toMillis(),
                limits.bodyReadTimeout().toMillis()));
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE)));
        p.addLast("framingGuard", new RequestFramingGuardHandler(limits.maxHeaderCount(), context.meters()));
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context, limits.maxBodySize()));
    }

    /** Asks a client connection to close once its current exchange is done (used by shutdown). */
    public static void drain(io.netty.channel.Channel clientConnection) {
        clientConnection.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
    }
}
