package dev.sluice.agent.proxy.h2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;
import java.util.function.Consumer;

/**
 * Switches a client connection to HTTP/2 when the client asks for it — by ALPN on TLS
 * ({@link #newAlpnHandler()}) or by sending the connection preface on plaintext ({@link
 * #newPrefaceDetector()}) — and otherwise leaves the HTTP/1.1 handlers in place. On the switch,
 * every handler after the detector (the HTTP/1.1 ones) is removed and the connection gets a frame
 * codec, a multiplexer that gives each stream its own child channel carrying HTTP/1.1-shaped
 * messages, and {@link Http2ConnectionLifecycleHandler}. Thread-safe; one per listener.
 */
public final class Http2ServerSupport {

    /** Streams a client may have open at once on one connection (RFC 9113 recommends at least 100). */
    static final int MAX_CONCURRENT_STREAMS = 256;
    /** How long a connection closing (drain, idle with GOAWAY) waits for its open streams. */
    static final long GRACEFUL_SHUTDOWN_MILLIS = 30_000;

    private final Http2StreamInitializer streams;
    private final Object drainEvent;
    private final long maxHeaderListSize;

    /**
     * @param exchangeHandlers adds the handlers that serve one request/response exchange to a stream's
     *     pipeline, after the HTTP/2 ↔ HTTP/1.1 conversion
     * @param drainEvent the user event that asks a connection to close once its exchanges are done
     * @param maxHeaderListSize the largest header block accepted, as for HTTP/1.1
     */
    public Http2ServerSupport(Consumer<ChannelPipeline> exchangeHandlers, Object drainEvent, long maxHeaderListSize) {
        this.streams = new Http2StreamInitializer(exchangeHandlers);
        this.drainEvent = drainEvent;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** For plaintext listeners: h2c when the connection starts with the HTTP/2 preface, else HTTP/1.1. */
    public ChannelHandler newPrefaceDetector() {
        return new H2cPrefaceHandler(this);
    }

    /** For TLS listeners, right after the TLS handler: HTTP/2 when ALPN chose {@code h2}, else HTTP/1.1. */
    public ChannelHandler newAlpnHandler() {
        return new AlpnProtocolHandler(this);
    }

    /** Replaces every handler after {@code ctx} with the HTTP/2 connection handlers. */
    void switchToHttp2(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        List<String> names = pipeline.names();
        for (int i = names.indexOf(ctx.name()) + 1; i < names.size(); i++) {
            if (pipeline.context(names.get(i)) != null) {
                pipeline.remove(names.get(i));
            }
        }
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(maxHeaderListSize))
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS)
                .build();
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(streams));
        pipeline.addLast("h2-lifecycle", new Http2ConnectionLifecycleHandler(codec, drainEvent));
    }
}
