package dev.sluice.agent.proxy;

import dev.sluice.agent.config.ListenerConfig;
import dev.sluice.agent.config.ListenerLimits;
import dev.sluice.agent.proxy.h2.Http2ServerSupport;
import dev.sluice.agent.tls.ListenerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client-side pipeline of a proxy listener, top to bottom: the listener's connection limit, idle
 * detection (an idle keep-alive connection is closed; a busy one is governed by the upstream timeouts),
 * the raw-byte scan (obs-fold, chunk extensions, the header-read deadline), the HTTP/1.1 codec, the
 * framing guard (every decode result and the head rules; refusals become 400/408/414/431/505 and a
 * close), {@code Expect: 100-continue} answered by the gateway, then {@link ProxyFrontendHandler},
 * which routes, relays and decides keep-alive. No aggregator: bodies stream in both directions.
 *
 * <p>Before the raw-byte scan: TLS on a TLS listener, then the HTTP/2 switch ({@link
 * Http2ServerSupport}): ALPN {@code h2} or the h2c preface replaces the HTTP/1.1 handlers with HTTP/2
 * ones, and each stream gets {@link #addStreamHandlers} (expect-continue and its own {@link
 * ProxyFrontendHandler}).
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ProxyContext context;
    private final long idleTimeoutMillis;
    private final ListenerLimits limits;
    private final ListenerConnectionLimitHandler connectionLimit;
    private final @Nullable ListenerTls tls;
    private final AsciiString forwardedProto;
    private final Http2ServerSupport http2;

    /** A TLS listener when {@code tls} is set (HTTP/1.1 and, by ALPN, HTTP/2); else HTTP/1.1 and h2c. */
    public ProxyInitializer(ProxyContext context, ListenerConfig listener, @Nullable ListenerTls tls) {
        this.context = context;
        this.idleTimeoutMillis = listener.idleTimeout().toMillis();
        this.limits = listener.limits();
        this.connectionLimit = new ListenerConnectionLimitHandler(limits.maxConnections(),
                context.meters().connectionsRefused(listener.name()));
        this.tls = tls;
        this.forwardedProto = tls == null ? ProxyFrontendHandler.HTTP : ProxyFrontendHandler.HTTPS;
        this.http2 = new Http2ServerSupport(this::addStreamHandlers, ProxyFrontendHandler.DRAIN, limits.maxHeaderSize());
    }

    /** A plaintext listener (HTTP/1.1 and h2c) with the default limits. */
    public ProxyInitializer(ProxyContext context, Duration idleTimeout) {
        this(context, new ListenerConfig("proxy", "0.0.0.0", 0, idleTimeout), null);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        context.clientConnections().add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("connectionLimit", connectionLimit);
        p.addLast("idle", new ConnectionIdleHandler(idleTimeoutMillis, TimeUnit.MILLISECONDS));
        ListenerTls listenerTls = tls;
        if (listenerTls != null) {
            p.addLast("tls", listenerTls.newHandler());
            p.addLast("alpn", http2.newAlpnHandler());
        } else {
            p.addLast("h2c", http2.newPrefaceDetector());
        }
        p.addLast("wireScan", new RequestWireScanHandler(limits.headerReadTimeout().toMillis(),
                limits.bodyReadTimeout().toMillis()));
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE)
                .setHeadersFactory(KnownHeaderNames.HEADERS)));
        p.addLast("framingGuard", new RequestFramingGuardHandler(limits.maxHeaderCount(), context.meters()));
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context, limits.maxBodySize(), forwardedProto));
    }

    /** The handlers of one HTTP/2 stream after its frames became HTTP/1.1 objects: one exchange each. */
    private void addStreamHandlers(ChannelPipeline p) {
        p.addLast("expectContinue", new HttpServerExpectContinueHandler());
        p.addLast("proxy", new ProxyFrontendHandler(context, limits.maxBodySize(), forwardedProto));
    }

    /** Asks a client connection to close once its current exchange is done (used by shutdown). */
    public static void drain(io.netty.channel.Channel clientConnection) {
        clientConnection.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
    }
}
