package dev.sluice.agent.proxy;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds a listener to its maximum number of open client connections: a connection accepted beyond it
 * is closed at once (nothing is read from it, so it costs no parsing) and counted. One shared instance
 * per listener, first in each connection's pipeline; it removes itself from a connection it admits.
 */
@ChannelHandler.Sharable
final class ListenerConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    private final ChannelFutureListener onClose = future -> open.decrementAndGet();

    ListenerConnectionLimitHandler(int maxConnections, Counter refused) {
        this.maxConnections = maxConnections;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(onClose);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** Connections currently admitted. */
    int open() {
        return open.get();
    }
}
