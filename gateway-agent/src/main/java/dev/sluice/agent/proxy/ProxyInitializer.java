package dev.sluice.agent.proxy;

import dev.sluice.agent.proxy.h2.Http2ServerSupport;
import dev.sluice.agent.tls.ListenerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client-side pipeline of a proxy listener, top to bottom: idle detection (an idle keep-alive
 * connection is closed; a busy one is governed by the upstream timeouts), HTTP/1.1 codec (decode failures
 * surface as a failed {@code decoderResult()}, answered with 400/414/431), {@code Expect:
 * 100-continue} answered by the gateway, then {@link ProxyFrontendHandler}, which routes, relays and
 * decides keep-alive. No aggregator: bodies stream in both directions.
 *
 * <p>Before the HTTP/1.1 codec: TLS on a TLS listener, then the HTTP/2 switch ({@link
 * Http2ServerSupport}): ALPN {@code h2} or the h2c preface replaces the HTTP/1.1 handlers with HTTP/2
 * ones, and each stream gets {@link #addStreamHandlers} (expect-continue and its own {@link
 * ProxyFrontendHandler}).
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_INITIAL_LINE_LENGTH = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext context;
    private final long idleTimeoutMillis;
    private final @Nullable ListenerTls tls;
    private final AsciiString forwardedProto;
    private final Http2ServerSupport http2;

    /** A plaintext listener (HTTP/1.1 and h2c). */
    public ProxyInitializer(ProxyContext context, Duration idleTimeout) {
        this(context, idleTimeout, null);
    }

    /** A TLS listener when {@code tls} is set (HTTP/1.1 and, by ALPN, HTTP/2). */
    public ProxyInitializer(ProxyContext context, Duration idleTimeout, @Nullable ListenerTls tls) {
        this.context = context;
        this.idleTimeoutMillis = idleTimeout.toMillis();
        this.tls = tls;
        this.forwardedProto = tls == null ? ProxyFrontendHandler.HTTP : ProxyFrontendHandler.HTTPS;
        this.http2 = new Http2ServerSupport(this::addStreamHandlers, ProxyFrontendHandler.DRAIN, MAX_HEADER_SIZE);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        context.clientConnections().add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));
        ListenerTls listenerTls = tls;
        if (listenerTls != null) {
            p.addLast("tls", listenerTls.newHandler());
            p.addLast("alpn", http2.newAlpnHandler());
        } else {
            p.addLast("h2c", http2.newPrefaceDetector());
        }
        p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE_LENGTH, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context, forwardedProto));
    }

    /** The handlers of one HTTP/2 stream after its frames became HTTP/1.1 objects: one exchange each. */
    private void addStreamHandlers(ChannelPipeline p) {
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context, forwardedProto));
    }

    /** Asks a client connection to close once its current exchange is done (used by shutdown). */
    public static void drain(io.netty.channel.Channel clientConnection) {
        clientConnection.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
    }
}
