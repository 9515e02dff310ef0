package dev.sluice.agent.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's {@link HttpClientCodec} behaviour (each
 * response is paired with its request's method, so a HEAD response has no body and a 200 to CONNECT
 * turns the connection into a byte pipe), with a response decoder that does not copy what every response
 * repeats: the usual header names come from {@link KnownHeaderNames}, and {@code HTTP/1.1}, the status
 * code and its standard reason phrase are shared strings. Everything is still parsed and validated by
 * Netty's decoder; only the copies are saved. The decoder's trailers factory is replaced: trailers get a
 * table only in a response with a {@code Transfer-Encoding} (only a chunked body has trailers); the last
 * part of any other body gets the shared empty, read-only one. Buffers: as {@link HttpClientCodec}.
 */
final class UpstreamHttpCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

    /** Status codes as text, so a status line's code is not cut into a new string each time. */
    private static final String[] CODES = new String[600];
    private static final HttpResponseStatus[] STATUSES = new HttpResponseStatus[CODES.length];

    static {
        for (int code = 100; code < CODES.length; code++) {
            CODES[code] = Integer.toString(code);
            STATUSES[code] = HttpResponseStatus.valueOf(code);
        }
    }

    /** The methods of the requests sent and not yet answered, oldest first. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
    /** After a successful CONNECT the connection carries bytes, not HTTP. */
    private boolean passThrough;
    /** Whether the response being decoded has a Transfer-Encoding, so it may end with trailers. */
    private boolean trailersPossible;

    /** {@code config}'s trailers factory is replaced by this codec's own. */
    UpstreamHttpCodec(HttpDecoderConfig config) {
        init(new Decoder(config.setTrailersFactory(new TrailersFactory())), new Encoder());
    }

    /**
     * Trailers validated as Netty's default ones are, but sized for the usual none, and not made at
     * all for a body that cannot have any (the decoder asks for them for every body's last part).
     */
    private final class TrailersFactory implements HttpHeadersFactory {
        private final HttpHeadersFactory validated = DefaultHttpHeadersFactory.trailersFactory();

        @Override
        public HttpHeaders newHeaders() {
            return trailersPossible ? validated.newEmptyHeaders() : EmptyHttpHeaders.INSTANCE;
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return newHeaders();
        }
    }

    private final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.offer(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class Decoder extends HttpResponseDecoder {
        /** The status of the status line being split, so its reason phrase can be matched. */
        private @Nullable HttpResponseStatus status;

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (passThrough) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readBytes(readable));
                }
                return;
            }
            super.decode(ctx, buffer, out);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] bytes, int start, int length) {
            AsciiString known = KnownHeaderNames.find(bytes, start, length);
            return known != null ? known : super.splitHeaderName(bytes, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] bytes, int start, int length) {
            if (length == 8 && startsWithHttp1(bytes, start)) {
                // The literals are the ones HttpVersion.valueOf recognises by identity.
                if (bytes[start + 7] == '1') {
                    return "HTTP/1.1";
                }
                if (bytes[start + 7] == '0') {
                    return "HTTP/1.0";
                }
            }
            return super.splitFirstWordInitialLine(bytes, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] bytes, int start, int length) {
            status = null;
            if (length == 3) {
                int code = digit(bytes[start]) * 100 + digit(bytes[start + 1]) * 10 + digit(bytes[start + 2]);
                if (code >= 100 && code < CODES.length) {
                    status = STATUSES[code];
                    return CODES[code];
                }
            }
            return super.splitSecondWordInitialLine(bytes, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] bytes, int start, int length) {
            HttpResponseStatus current = status;
            status = null;
            if (current != null) {
                String reason = current.reasonPhrase();
                if (reason.length() == length && sameBytes(reason, bytes, start)) {
                    // The same instance makes the decoder reuse the status constant too.
                    return reason;
                }
            }
            return super.splitThirdWordInitialLine(bytes, start, length);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            // Called for every head, before its body (and so its trailers) is read.
            trailersPossible = msg.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
            HttpResponseStatus responseStatus = ((HttpResponse) msg).status();
            if (responseStatus.codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim response answers no request of its own.
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            if (HttpMethod.HEAD.equals(method)) {
                return true;
            }
            if (HttpMethod.CONNECT.equals(method) && responseStatus.code() == 200) {
                passThrough = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }

    /** -1000 for a non-digit, which keeps any code containing one out of range. */
    private static int digit(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : -1000;
    }

    private static boolean startsWithHttp1(byte[] bytes, int start) {
        return bytes[start] == 'H' && bytes[start + 1] == 'T' && bytes[start + 2] == 'T' && bytes[start + 3] == 'P'
                && bytes[start + 4] == '/' && bytes[start + 5] == '1' && bytes[start + 6] == '.';
    }

    private static boolean sameBytes(String text, byte[] bytes, int start) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }
}
