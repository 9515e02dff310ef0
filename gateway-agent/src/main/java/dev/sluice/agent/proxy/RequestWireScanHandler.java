package dev.sluice.agent.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Sits before the HTTP codec and reads the raw request bytes for the two things the decoder cannot
 * report: syntax it repairs silently (obs-fold — a header line continued on the next line, which Netty
 * joins with a space — and chunk extensions, which it skips unchecked) and time: a request head must
 * arrive whole within the header-read timeout (slow-loris), and a request body must not stall for
 * longer than the body-read timeout (slow POST); either answers 408. Time the gateway itself is not
 * reading (backpressure, a pipelined request waiting) does not count. It follows message framing just
 * far enough to know where each head and chunk-size line starts: body bytes are skipped by count, never
 * copied.
 *
 * <p>On a violation it forwards the bytes before the offending line (so earlier pipelined requests are
 * still decoded and answered in order), fires a {@link RequestRejection} in place of the rest and drops
 * everything after it. The byte at which a violation is found (the line's LF, or what follows a bare
 * CR) never reaches the decoder, so the offending line can never be completed and decoded; {@link ProxyFrontendHandler} answers and closes. Framing that the decoder itself
 * will reject (both Content-Length and Transfer-Encoding, an unknown coding, a bad length) and an
 * {@code Upgrade} request (whose connection may switch protocol) end the scan: the codec, {@link
 * RequestFramingGuardHandler} and the upgrade's own handlers take over. Buffers: each inbound buffer is
 * passed on (or a slice of it) or released here.
 */
final class RequestWireScanHandler extends ChannelInboundHandlerAdapter {

    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int CHUNK_LINE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILERS = 5;
    /** Framing this handler no longer follows; bytes pass through untouched. */
    private static final int PASS = 6;
    /** A rejection was fired; the connection is closing and every further byte is dropped. */
    private static final int DISCARD = 7;

    /** Enough for every header name and a Content-Length or Transfer-Encoding value; longer lines are only scanned. */
    private static final int CAPTURE = 256;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final byte[] H2_PREFACE = {'P', 'R', 'I', ' ', '*', ' ', 'H', 'T', 'T', 'P', '/', '2'};

    private final long headerReadTimeoutMillis;
    private final long bodyReadTimeoutMillis;
    private final Runnable timeoutTask = this::onTimeout;
    private @Nullable ChannelHandlerContext ctx;
    /** Whether a deadline is set: the head's while a head is awaited or arriving, the body stall check while a body is. */
    private boolean armed;
    private long deadlineNanos;
    /**
     * The task that checks the deadline. It outlives the request that armed it and serves the next
     * ones (it re-schedules itself for what is left when it fires early), so a busy keep-alive
     * connection schedules one task per timeout period instead of one per request.
     */
    private @Nullable ScheduledFuture<?> timer;
    private long timerDueNanos;
    private long lastBodyReadNanos;

    private int state = HEAD;
    private final byte[] line = new byte[CAPTURE];
    /** Length of the current line so far (may exceed what is captured). */
    private int lineLength;
    private boolean lastWasCr;
    /** Lines of the current head (request line included); 0 until the request line has ended. */
    private int headLines;
    private boolean headStarted;
    private long contentLength = -1;
    private boolean transferEncoding;
    private boolean chunked;
    private boolean framingUnknown;
    private boolean upgrade;
    private long remaining;

    RequestWireScanHandler(long headerReadTimeoutMillis, long bodyReadTimeoutMillis) {
        this.headerReadTimeoutMillis = headerReadTimeoutMillis;
        this.bodyReadTimeoutMillis = bodyReadTimeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // A connection that sends nothing at all is held to the same deadline as a slow head.
        arm(headerReadTimeoutMillis);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == PASS || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == DISCARD) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state != HEAD) {
            lastBodyReadNanos = now();
        }
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int lineStart = start;
        int i = start;
        while (i < end && state != PASS) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, end - i);
                    i += skip;
                    remaining -= skip;
                    if (remaining == 0) {
                        if (state == BODY) {
                            disarm();
                        }
                        state = state == BODY ? HEAD : CHUNK_END;
                        startLine();
                        lineStart = i;
                    }
                }
                default -> {
                    byte b = buf.getByte(i++);
                    if (b != '\n') {
                        if (lastWasCr) {
                            reject(ctx, buf, start, lineStart, RequestRejection.BARE_CR);
                            return;
                        }
                        if (b == '\r') {
                            lastWasCr = true;
                        } else {
                            if (state == HEAD && !headStarted) {
                                headStarted = true;
                                arm(headerReadTimeoutMillis);
                            }
                            if (lineLength < CAPTURE) {
                                line[lineLength] = b;
                            }
                            lineLength++;
                            if (state == CHUNK_LINE && lineLength > MAX_CHUNK_LINE) {
                                reject(ctx, buf, start, lineStart, RequestRejection.CHUNK);
                                return;
                            }
                        }
                        continue;
                    }
                    if (!lastWasCr && state != HEAD) {
                        // The codec rejects a bare LF in the head itself; in chunk framing it is ours to refuse.
                        reject(ctx, buf, start, lineStart, RequestRejection.BARE_LF);
                        return;
                    }
                    RequestRejection rejection = endOfLine();
                    if (rejection != null) {
                        reject(ctx, buf, start, lineStart, rejection);
                        return;
                    }
                    startLine();
                    lineStart = i;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Acts on one complete line of the current state; returns why it is refused, or null. */
    private @Nullable RequestRejection endOfLine() {
        switch (state) {
            case HEAD -> {
                return headLine();
            }
            case TRAILERS -> {
                if (lineLength == 0) {
                    disarm();
                    state = HEAD;
                    return null;
                }
                return fieldLine();
            }
            case CHUNK_LINE -> {
                return chunkLine();
            }
            case CHUNK_END -> {
                // The CRLF after chunk data: anything else in between means the framing is broken.
                if (lineLength != 0) {
                    return RequestRejection.CHUNK;
                }
                state = CHUNK_LINE;
                return null;
            }
            default -> throw new IllegalStateException("no lines in state " + state);
        }
    }

    private @Nullable RequestRejection headLine() {
        if (headLines == 0) {
            if (lineLength == 0) {
                // Empty lines before a request line are allowed (RFC 9112 section 2.2).
                return null;
            }
            if (startsWith(H2_PREFACE)) {
                // HTTP/2 prior knowledge: not ours to frame.
                state = PASS;
                return null;
            }
            headLines = 1;
            return null;
        }
        if (lineLength == 0) {
            endOfHead();
            return null;
        }
        headLines++;
        RequestRejection rejection = fieldLine();
        if (rejection != null) {
            return rejection;
        }
        int colon = indexOf((byte) ':');
        if (colon < 0) {
            return null;
        }
        if (nameIs("content-length", colon)) {
            long value = decimal(colon + 1);
            if (value < 0 || (contentLength >= 0 && contentLength != value)) {
                framingUnknown = true;
            }
            contentLength = value;
        } else if (nameIs("transfer-encoding", colon)) {
            chunked = !transferEncoding && valueIs("chunked", colon + 1);
            transferEncoding = true;
        } else if (nameIs("upgrade", colon)) {
            upgrade = true;
        }
        return null;
    }

    /** A header or trailer field line: no folding, no whitespace before the colon. */
    private @Nullable RequestRejection fieldLine() {
        if (line[0] == ' ' || line[0] == '\t') {
            return RequestRejection.OBS_FOLD;
        }
        int colon = indexOf((byte) ':');
        if (colon > 0 && (line[colon - 1] == ' ' || line[colon - 1] == '\t')) {
            return RequestRejection.SPACE_BEFORE_COLON;
        }
        return null;
    }

    private void endOfHead() {
        headLines = 0;
        headStarted = false;
        disarm();
        boolean hasLength = contentLength != -1;
        if (upgrade || framingUnknown || (transferEncoding && (hasLength || !chunked))) {
            // The codec rejects these framings (or the protocol may switch): stop following the stream.
            state = PASS;
        } else if (chunked) {
            state = CHUNK_LINE;
            startBodyClock();
        } else if (contentLength > 0) {
            state = BODY;
            remaining = contentLength;
            startBodyClock();
        } else {
            state = HEAD;
        }
        contentLength = -1;
        transferEncoding = false;
        chunked = false;
        framingUnknown = false;
        upgrade = false;
    }

    /**
     * {@code chunk-size [ chunk-ext ]} with {@code chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token /
     * quoted-string ) ] )} (RFC 9112 section 7.1.1).
     */
    private @Nullable RequestRejection chunkLine() {
        if (lineLength > CAPTURE) {
            return RequestRejection.CHUNK;
        }
        int n = lineLength;
        int i = 0;
        long size = 0;
        while (i < n && hexValue(line[i]) >= 0) {
            if (i == 16) {
                return RequestRejection.CHUNK;
            }
            size = (size << 4) | hexValue(line[i]);
            i++;
        }
        if (i == 0 || size < 0) {
            return RequestRejection.CHUNK;
        }
        while (i < n) {
            i = skipWhitespace(i, n);
            if (i >= n || line[i] != ';') {
                return RequestRejection.CHUNK;
            }
            i = skipWhitespace(i + 1, n);
            int nameStart = i;
            while (i < n && isTokenChar(line[i])) {
                i++;
            }
            if (i == nameStart) {
                return RequestRejection.CHUNK;
            }
            int afterName = skipWhitespace(i, n);
            if (afterName < n && line[afterName] == '=') {
                i = skipWhitespace(afterName + 1, n);
                i = extensionValue(i, n);
                if (i < 0) {
                    return RequestRejection.CHUNK;
                }
            } else {
                i = afterName;
            }
        }
        if (size == 0) {
            state = TRAILERS;
        } else {
            state = CHUNK_DATA;
            remaining = size;
        }
        return null;
    }

    /** The end of a token or quoted-string starting at {@code i}, or -1 when there is none. */
    private int extensionValue(int i, int n) {
        if (i < n && line[i] == '"') {
            i++;
            while (i < n && line[i] != '"') {
                if (line[i] == '\\') {
                    i++;
                }
                if (i < n && (line[i] < 0x20 && line[i] != '\t' || line[i] == 0x7f)) {
                    return -1;
                }
                i++;
            }
            return i < n ? i + 1 : -1;
        }
        int start = i;
        while (i < n && isTokenChar(line[i])) {
            i++;
        }
        return i == start ? -1 : i;
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf buf, int start, int lineStart, RequestRejection rejection) {
        state = DISCARD;
        disarm();
        if (lineStart > start) {
            // Whole messages before the offending line are still decoded, and answered in order.
            ctx.fireChannelRead(buf.retainedSlice(start, lineStart - start));
        }
        buf.release();
        ctx.fireChannelRead(rejection);
    }

    /** The event loop's clock, the one the deadlines are scheduled on. */
    private long now() {
        ChannelHandlerContext c = ctx;
        return c == null ? System.nanoTime() : c.executor().ticker().nanoTime();
    }

    private void startBodyClock() {
        lastBodyReadNanos = now();
        arm(bodyReadTimeoutMillis);
    }

    private void onTimeout() {
        timer = null;
        ChannelHandlerContext c = ctx;
        if (!armed || c == null) {
            return;
        }
        long left = deadlineNanos - now();
        if (left > 0) {
            schedule(c, left);
            return;
        }
        armed = false;
        if (state == DISCARD || state == PASS || !c.channel().isActive()) {
            return;
        }
        boolean inHead = state == HEAD;
        if (!c.channel().config().isAutoRead()) {
            // The gateway stopped reading (backpressure, a pipelined request waiting): not the client's delay.
            lastBodyReadNanos = now();
            arm(inHead ? headerReadTimeoutMillis : bodyReadTimeoutMillis);
            return;
        }
        if (!inHead) {
            long leftMillis = bodyReadTimeoutMillis - TimeUnit.NANOSECONDS.toMillis(now() - lastBodyReadNanos);
            if (leftMillis > 0) {
                arm(leftMillis);
                return;
            }
        }
        state = DISCARD;
        c.fireChannelRead(inHead ? RequestRejection.HEADER_TIMEOUT : RequestRejection.BODY_TIMEOUT);
    }

    /** Sets a deadline {@code delayMillis} from now, unless one is already set (the earlier one holds). */
    private void arm(long delayMillis) {
        ChannelHandlerContext c = ctx;
        if (c == null || armed || delayMillis <= 0) {
            return;
        }
        long delay = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        armed = true;
        deadlineNanos = now() + delay;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            if (timerDueNanos - deadlineNanos <= 0) {
                // Fires first and re-schedules itself for the rest.
                return;
            }
            t.cancel(false);
        }
        schedule(c, delay);
    }

    private void schedule(ChannelHandlerContext c, long delayNanos) {
        timerDueNanos = now() + delayNanos;
        timer = c.executor().schedule(timeoutTask, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Clears the deadline; the task, if scheduled, finds nothing to check when it fires. */
    private void disarm() {
        armed = false;
    }

    private void stopTimer() {
        armed = false;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
            timer = null;
        }
    }

    private void startLine() {
        lineLength = 0;
        lastWasCr = false;
    }

    private boolean startsWith(byte[] prefix) {
        if (lineLength < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b) {
        int n = Math.min(lineLength, CAPTURE);
        for (int i = 0; i < n; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameIs(String lowerCaseName, int colon) {
        if (colon != lowerCaseName.length()) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if (Character.toLowerCase((char) line[i]) != lowerCaseName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean valueIs(String lowerCaseValue, int from) {
        if (lineLength > CAPTURE) {
            return false;
        }
        int start = skipWhitespace(from, lineLength);
        int end = lineLength;
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end - start != lowerCaseValue.length()) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (Character.toLowerCase((char) line[i]) != lowerCaseValue.charAt(i - start)) {
                return false;
            }
        }
        return true;
    }

    /** The decimal value after the colon, or -1 when it is not one plain number. */
    private long decimal(int from) {
        if (lineLength > CAPTURE) {
            return -1;
        }
        int start = skipWhitespace(from, lineLength);
        int end = lineLength;
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end == start || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return -1;
            }
            value = value * 10 + (line[i] - '0');
        }
        return value;
    }

    private int skipWhitespace(int i, int n) {
        while (i < n && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
