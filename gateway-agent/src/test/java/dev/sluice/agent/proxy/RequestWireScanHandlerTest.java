package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The raw-byte scan on its own: framing followed across arbitrary read boundaries, refusals, deadlines. */
class RequestWireScanHandlerTest {

    private static final String PIPELINE = "POST /a HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;x=\"y;z\"\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n"
            + "\r\nPOST /b HTTP/1.1\r\nHost: gw\r\nContent-Length: 7\r\n\r\nX: a\r\n "
            + "GET /c HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\n\r\n"
            + "after an upgrade \r anything\r\n goes";

    private final EmbeddedChannel channel = new EmbeddedChannel(new RequestWireScanHandler(10_000, 5_000));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private List<Object> feed(String bytes, int piece) {
        byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < raw.length; i += piece) {
            channel.writeInbound(Unpooled.wrappedBuffer(raw, i, Math.min(piece, raw.length - i)));
        }
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    private static String bytesOf(List<Object> out) {
        StringBuilder text = new StringBuilder();
        for (Object msg : out) {
            if (msg instanceof ByteBuf buf) {
                text.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            }
        }
        return text.toString();
    }

    @Test
    void passesWellFramedPipelinedRequestsUnchangedWhateverTheReadBoundaries() {
        for (int piece : new int[] {1, 2, 3, 7, 64, PIPELINE.length()}) {
            EmbeddedChannel fresh = new EmbeddedChannel(new RequestWireScanHandler(10_000, 5_000));
            byte[] raw = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < raw.length; i += piece) {
                fresh.writeInbound(Unpooled.wrappedBuffer(raw, i, Math.min(piece, raw.length - i)));
            }
            List<Object> out = new ArrayList<>();
            Object msg;
            while ((msg = fresh.readInbound()) != null) {
                out.add(msg);
            }

            assertThat(out).as("pieces of %d bytes", piece).noneMatch(RequestRejection.class::isInstance);
            assertThat(bytesOf(out)).isEqualTo(PIPELINE);
            fresh.finishAndReleaseAll();
        }
    }

    @Test
    void forwardsTheRequestsBeforeAFoldedHeaderThenTheRejectionAndDropsTheRest() {
        String good = "GET /a HTTP/1.1\r\nHost: gw\r\n\r\n";
        List<Object> out = feed(good + "GET /b HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n two\r\n\r\nGET /c HTTP/1.1\r\n\r\n", 5);

        assertThat(out.get(out.size() - 1)).isSameAs(RequestRejection.OBS_FOLD);
        // The folded line may have been passed on in part, but never its end: the decoder cannot complete it.
        assertThat(bytesOf(out)).startsWith(good).doesNotContain("two\r").doesNotContain("/c");
        assertThat(feed("GET /d HTTP/1.1\r\n\r\n", 100)).isEmpty();
    }

    @Test
    void refusesChunkSyntaxThatTheDecoderWouldSkip() {
        assertThat(feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;\r\nabc\r\n0\r\n\r\n", 4))
                .contains(RequestRejection.CHUNK);
    }

    @Test
    void answers408WhenAHeadIsStillIncompleteAtTheDeadline() {
        feed("GET /slow HTTP/1.1\r\nHost: gw\r\n", 3).forEach(io.netty.util.ReferenceCountUtil::release);

        channel.advanceTimeBy(11, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat((Object) channel.readInbound()).isSameAs(RequestRejection.HEADER_TIMEOUT);
    }

    @Test
    void answers408WhenABodyStallsButNotWhileTheGatewayIsNotReading() {
        feed("POST /up HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\nabc", 100).forEach(io.netty.util.ReferenceCountUtil::release);

        channel.config().setAutoRead(false);
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readInbound()).as("backpressure is not the client's delay").isNull();

        channel.config().setAutoRead(true);
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readInbound()).isSameAs(RequestRejection.BODY_TIMEOUT);
    }

    @Test
    void countsEachHeadsDeadlineFromItsOwnStartOnAKeepAliveConnection() {
        feed("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n", 100).forEach(io.netty.util.ReferenceCountUtil::release);
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        feed("GET /b HTTP/1.1\r\nHost: gw\r\n", 100).forEach(io.netty.util.ReferenceCountUtil::release);

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readInbound()).as("2 s into the second head, 11 s after the first").isNull();

        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readInbound()).isSameAs(RequestRejection.HEADER_TIMEOUT);
    }

    @Test
    void holdsNoDeadlineBetweenRequestsOfAKeepAliveConnection() {
        feed("GET /a HTTP/1.1\r\nHost: gw\r\n\r\n", 100).forEach(io.netty.util.ReferenceCountUtil::release);

        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat((Object) channel.readInbound()).isNull();
    }
}
