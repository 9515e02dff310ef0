package dev.sluice.agent.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An h2c client with prior knowledge (the JDK's HttpClient only upgrades): one connection, each
 * request on its own stream, responses aggregated. Lets a test see what happens to the connection
 * itself between requests.
 */
public final class Http2TestClient implements AutoCloseable {

    /** A complete response: status, headers (lower-case names, first value) and body as UTF-8. */
    public record Response(int status, Map<String, String> headers, String body) {}

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;
    private final int port;

    private Http2TestClient(int port) throws InterruptedException {
        this.port = port;
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                // Servers do not open streams towards this client.
                            }
                        }));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    public static Http2TestClient connect(int port) throws InterruptedException {
        return new Http2TestClient(port);
    }

    /** Sends one request on a new stream and waits for the whole response. */
    public Response send(HttpMethod method, String path, byte[] body) throws Exception {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false));
                        ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024 * 1024));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                                Map<String, String> headers = new HashMap<>();
                                for (Map.Entry<String, String> e : msg.headers()) {
                                    headers.putIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
                                }
                                response.complete(new Response(msg.status().code(), headers,
                                        msg.content().toString(StandardCharsets.UTF_8)));
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                response.completeExceptionally(new IllegalStateException("the stream closed without a response"));
                            }
                        });
                    }
                }).open().sync().getNow();
        // Absolute form: Netty sends :authority only for it.
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
                "http://localhost:" + port + path, Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, "localhost:" + port);
        if (body.length > 0) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        stream.writeAndFlush(request);
        return response.get(30, TimeUnit.SECONDS);
    }

    /**
     * Sends {@code GET path} on a new stream that never reads: the client grants the server no more
     * flow-control window than the initial one. Closing the returned channel resets the stream.
     */
    public Http2StreamChannel getWithoutReading(String path) throws InterruptedException {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .option(io.netty.channel.ChannelOption.AUTO_READ, false)
                .handler(new Http2StreamFrameToHttpObjectCodec(false))
                .open().sync().getNow();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "http://localhost:" + port + path, Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, "localhost:" + port);
        stream.writeAndFlush(request);
        return stream;
    }

    public Response get(String path) throws Exception {
        return send(HttpMethod.GET, path, new byte[0]);
    }

    /** Whether the connection (not a stream) is still open. */
    public boolean isOpen() {
        return connection.isActive();
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
