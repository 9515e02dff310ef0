package dev.sluice.agent.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A real Netty TLS server on a random loopback port. After a successful handshake it writes one line,
 * {@code ok <protocol> <alpn> <client subject or none>}, and keeps the connection open until the
 * client closes it. The pipeline's first handler comes from the supplier (a SniHandler or SslHandler).
 */
final class TlsTestServer implements AutoCloseable {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TlsTestServer(Supplier<io.netty.channel.ChannelHandler> tlsHandler) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tlsHandler.get(), new AnnounceHandler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static TlsTestServer of(ListenerTls tls) throws InterruptedException {
        return new TlsTestServer(tls::newHandler);
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes the announcement line once the handshake succeeded; reads and drops anything else. */
    private static final class AnnounceHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    ctx.close();
                    return;
                }
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                SSLSession session = ssl.engine().getSession();
                String alpn = ssl.applicationProtocol() == null ? "-" : ssl.applicationProtocol();
                String line = "ok " + session.getProtocol() + " " + alpn + " " + clientSubject(session) + "\n";
                ByteBuf out = ByteBufUtil.writeUtf8(ctx.alloc(), line);
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static String clientSubject(SSLSession session) {
            try {
                Certificate[] chain = session.getPeerCertificates();
                return ((X509Certificate) chain[0]).getSubjectX500Principal().getName().replace(' ', '_');
            } catch (SSLPeerUnverifiedException e) {
                return "none";
            }
        }
    }
}
