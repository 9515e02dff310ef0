package dev.sluice.agent.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Fires an {@link IdleStateEvent} of state {@code ALL_IDLE} when a connection has neither read nor
 * written for the given time, as Netty's {@code IdleStateHandler(0, 0, time)} does, but without a
 * listener on every write: that handler turns each write's void promise into a real one to learn
 * when it completed, an allocation and a notification per write on both hops of every request.
 *
 * <p>Activity is a completed read, a flush, or output still draining to a slow peer (pending bytes
 * that changed since the last check); a peer that stops reading altogether goes idle. A time of
 * zero or less disables the check.
 */
final class ConnectionIdleHandler extends ChannelDuplexHandler {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;

    private final long idleNanos;
    private final Runnable check = this::check;
    private @Nullable ChannelHandlerContext ctx;
    /** The event loop's clock, so that a test's EmbeddedChannel can move time forward. */
    private Ticker ticker = Ticker.systemTicker();
    private int state = NEW;
    private long lastActivity;
    private long lastPendingBytes;
    private boolean firstEvent = true;
    private @Nullable ScheduledFuture<?> timer;

    ConnectionIdleHandler(long idleTime, TimeUnit unit) {
        this.idleNanos = unit.toNanos(idleTime);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.ticker = ctx.executor().ticker();
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start();
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActivity = ticker.nanoTime();
        firstEvent = true;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        lastActivity = ticker.nanoTime();
        firstEvent = true;
        ctx.flush();
    }

    private void start() {
        if (state != NEW || idleNanos <= 0) {
            return;
        }
        state = RUNNING;
        lastActivity = ticker.nanoTime();
        schedule(idleNanos);
    }

    private void stop() {
        state = STOPPED;
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        timer = context().executor().schedule(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (state != RUNNING) {
            return;
        }
        ChannelHandlerContext c = context();
        ChannelOutboundBuffer output = c.channel().unsafe().outboundBuffer();
        long pending = output == null ? 0 : output.totalPendingWriteBytes();
        long now = ticker.nanoTime();
        if (pending != lastPendingBytes) {
            // The peer is reading what was written, slowly: that is not idleness.
            lastPendingBytes = pending;
            if (pending > 0) {
                lastActivity = now;
            }
        }
        long remaining = idleNanos - (now - lastActivity);
        if (remaining > 0) {
            schedule(remaining);
            return;
        }
        schedule(idleNanos);
        IdleStateEvent event = firstEvent ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT : IdleStateEvent.ALL_IDLE_STATE_EVENT;
        firstEvent = false;
        c.fireUserEventTriggered(event);
    }

    private ChannelHandlerContext context() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("handler not added to a pipeline");
        }
        return c;
    }
}
