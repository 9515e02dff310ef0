package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idle detection on the event loop's clock, moved forward by the test. */
class ConnectionIdleHandlerTest {

    private final List<IdleStateEvent> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ConnectionIdleHandler(10, TimeUnit.SECONDS),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add((IdleStateEvent) evt);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advanceSeconds(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void firesAllIdleOnceNothingWasReadOrWrittenForTheIdleTime() {
        advanceSeconds(9);
        assertThat(events).isEmpty();

        advanceSeconds(2);

        assertThat(events).hasSize(1);
        assertThat(events.get(0).state()).isEqualTo(IdleState.ALL_IDLE);
        assertThat(events.get(0).isFirst()).isTrue();
    }

    @Test
    void aReadPostponesIdleness() {
        advanceSeconds(8);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));

        advanceSeconds(8);
        assertThat(events).isEmpty();

        advanceSeconds(3);
        assertThat(events).hasSize(1);
    }

    @Test
    void aFlushPostponesIdleness() {
        advanceSeconds(8);
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));

        advanceSeconds(8);
        assertThat(events).isEmpty();

        advanceSeconds(3);
        assertThat(events).hasSize(1);
    }

    @Test
    void keepsFiringWhileTheConnectionStaysIdleAndStopsWhenItCloses() {
        advanceSeconds(11);
        advanceSeconds(10);
        assertThat(events).extracting(IdleStateEvent::isFirst).containsExactly(true, false);

        channel.close();
        advanceSeconds(30);

        assertThat(events).hasSize(2);
    }
}
