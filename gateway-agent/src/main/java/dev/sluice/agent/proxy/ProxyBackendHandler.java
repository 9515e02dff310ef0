package dev.sluice.agent.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The last handler of an upstream connection: hands the response to the client connection's
 * {@link ProxyFrontendHandler} that currently leases this connection. Messages arriving while the
 * connection sits in the pool are unexpected: they are released and the connection is closed.
 */
final class ProxyBackendHandler extends ChannelInboundHandlerAdapter {

    private @Nullable ProxyFrontendHandler frontend;

    void attach(ProxyFrontendHandler frontend) {
        this.frontend = frontend;
    }

    void detach() {
        this.frontend = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ProxyFrontendHandler current = frontend;
        if (current == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        // Ownership of msg passes to the frontend, which writes it to the client or releases it.
        current.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ProxyFrontendHandler current = frontend;
        if (current != null) {
            current.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ProxyFrontendHandler current = frontend;
        if (current != null) {
            current.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ProxyFrontendHandler current = frontend;
            if (current == null) {
                ctx.close();
            } else {
                current.onUpstreamIdle();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ProxyFrontendHandler current = frontend;
        frontend = null;
        if (current != null) {
            current.onUpstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyFrontendHandler current = frontend;
        frontend = null;
        ctx.close();
        if (current != null) {
            current.onUpstreamFailure(cause);
        }
    }
}
