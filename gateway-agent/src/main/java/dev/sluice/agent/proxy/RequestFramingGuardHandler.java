package dev.sluice.agent.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidChunkExtensionException;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sits between the HTTP codec and {@link ProxyFrontendHandler} and decides whether a decoded request
 * can be trusted: every decode result (on the head and on each body part) is checked, and each head
 * goes through {@link #HEAD_RULES}, a fixed table of framing and syntax rules. A refused request is
 * replaced by its {@link RequestRejection}, which the frontend answers in order and then closes the
 * connection; everything read after it is released here, since its framing means nothing any more.
 * Trailer fields that may not be trailers are dropped. Counts each refusal by reason.
 */
final class RequestFramingGuardHandler extends ChannelInboundHandlerAdapter {

    /** One check on a decoded request head: the rejection, or null when the rule holds. */
    @FunctionalInterface
    interface HeadRule {
        @Nullable RequestRejection check(HttpRequest request, int maxHeaderCount);
    }

    /** Checked in this order; the first broken rule answers. */
    static final List<HeadRule> HEAD_RULES = List.of(
            RequestFramingGuardHandler::version,
            RequestFramingGuardHandler::requestTarget,
            RequestFramingGuardHandler::transferEncoding,
            RequestFramingGuardHandler::host,
            RequestFramingGuardHandler::headerCount,
            RequestFramingGuardHandler::headerValues);

    /** What a failed decode means to the client, by the decoder's exception; the first match answers. */
    private static final List<Map.Entry<Class<? extends Throwable>, RequestRejection>> DECODE_FAILURES = List.of(
            Map.entry(TooLongHttpLineException.class, RequestRejection.URI_TOO_LONG),
            Map.entry(TooLongHttpHeaderException.class, RequestRejection.HEADERS_TOO_LARGE),
            Map.entry(ContentLengthNotAllowedException.class, RequestRejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING),
            Map.entry(TransferEncodingNotAllowedException.class, RequestRejection.TRANSFER_ENCODING_HTTP_10),
            Map.entry(InvalidLineSeparatorException.class, RequestRejection.BARE_LF),
            Map.entry(InvalidChunkTerminationException.class, RequestRejection.CHUNK),
            Map.entry(InvalidChunkExtensionException.class, RequestRejection.CHUNK),
            // Netty reports a bad chunk size as NumberFormatException, a bad length or coding as IllegalArgumentException.
            Map.entry(NumberFormatException.class, RequestRejection.CHUNK));

    private final int maxHeaderCount;
    private final ProxyMeters meters;
    private boolean rejected;

    RequestFramingGuardHandler(int maxHeaderCount, ProxyMeters meters) {
        this.maxHeaderCount = maxHeaderCount;
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        RequestRejection rejection = null;
        if (msg instanceof RequestRejection fromWire) {
            rejection = fromWire;
        } else if (msg instanceof HttpObject object) {
            DecoderResult result = object.decoderResult();
            if (result.isFailure()) {
                rejection = decodeFailure(result.cause());
            } else if (msg instanceof HttpRequest request) {
                rejection = checkHead(request, maxHeaderCount);
            } else if (msg instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
                removeForbiddenTrailers(last.trailingHeaders());
            }
            if (rejection != null) {
                ReferenceCountUtil.release(msg);
            }
        }
        if (rejection == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        rejected = true;
        // Nothing more is read: the frontend answers in order, then closes.
        ctx.channel().config().setAutoRead(false);
        meters.refused(rejection.reason());
        ctx.fireChannelRead(rejection);
    }

    /**
     * Trailer fields that must not be sent as trailers (RFC 9110 section 6.5.1): framing, routing,
     * authentication and content metadata. A downstream parser that merges trailers into the header
     * section could otherwise be steered by them; they are dropped before the request is forwarded.
     */
    static final Set<String> FORBIDDEN_TRAILERS = Set.of("content-length", "transfer-encoding", "host", "trailer",
            "connection", "keep-alive", "upgrade", "te", "authorization", "proxy-authorization", "cookie", "set-cookie",
            "content-type", "content-encoding", "content-range", "expect", "max-forwards", "cache-control", "range",
            "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range");

    static void removeForbiddenTrailers(HttpHeaders trailers) {
        // names() is a copy, so removing while iterating it is safe; trailers are rare enough for that.
        for (String name : trailers.names()) {
            if (FORBIDDEN_TRAILERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                trailers.remove(name);
            }
        }
    }

    static @Nullable RequestRejection checkHead(HttpRequest request, int maxHeaderCount) {
        for (int i = 0; i < HEAD_RULES.size(); i++) {
            RequestRejection rejection = HEAD_RULES.get(i).check(request, maxHeaderCount);
            if (rejection != null) {
                return rejection;
            }
        }
        return null;
    }

    static RequestRejection decodeFailure(Throwable cause) {
        for (int i = 0; i < DECODE_FAILURES.size(); i++) {
            Map.Entry<Class<? extends Throwable>, RequestRejection> entry = DECODE_FAILURES.get(i);
            if (entry.getKey().isInstance(cause)) {
                return entry.getValue();
            }
        }
        String message = cause.getMessage();
        if (message != null) {
            if (message.contains("Content-Length")) {
                return RequestRejection.CONTENT_LENGTH;
            }
            if (message.contains("transfer coding") || message.contains("Transfer-Encoding") || message.contains("chunked")) {
                return RequestRejection.TRANSFER_ENCODING;
            }
            if (message.contains("header name")) {
                return RequestRejection.HEADER_SYNTAX;
            }
            if (message.startsWith("Validation failed for header")) {
                return RequestRejection.CONTROL_CHARACTER;
            }
        }
        return RequestRejection.MALFORMED;
    }

    private static @Nullable RequestRejection version(HttpRequest request, int maxHeaderCount) {
        HttpVersion version = request.protocolVersion();
        return version.majorVersion() == 1 && (version.minorVersion() == 0 || version.minorVersion() == 1)
                ? null : RequestRejection.VERSION;
    }

    /**
     * Origin-form ({@code /path?query}) only, or {@code *} for OPTIONS: this is a reverse proxy, so an
     * absolute-form target (which would name a host other than the Host header) is refused rather than
     * silently routed by one and forwarded with the other. Only visible ASCII, no fragment.
     */
    private static @Nullable RequestRejection requestTarget(HttpRequest request, int maxHeaderCount) {
        String uri = request.uri();
        if (uri.isEmpty()) {
            return RequestRejection.REQUEST_TARGET;
        }
        if (uri.equals("*")) {
            return request.method() == HttpMethod.OPTIONS ? null : RequestRejection.REQUEST_TARGET;
        }
        if (uri.charAt(0) != '/') {
            return uri.indexOf("://") > 0 ? RequestRejection.ABSOLUTE_FORM : RequestRejection.REQUEST_TARGET;
        }
        if (uri.length() > 1 && uri.charAt(1) == '/') {
            // "//host/path" reads as a network-path reference to some parsers downstream.
            return RequestRejection.REQUEST_TARGET;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                return RequestRejection.REQUEST_TARGET;
            }
        }
        return null;
    }

    /** The decoder accepts {@code gzip, chunked}; the gateway re-frames bodies, so only a bare {@code chunked} is kept. */
    private static @Nullable RequestRejection transferEncoding(HttpRequest request, int maxHeaderCount) {
        HttpHeaders headers = request.headers();
        if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        List<String> values = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return RequestRejection.TRANSFER_ENCODING_HTTP_10;
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return RequestRejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING;
        }
        return values.size() == 1 && values.get(0).trim().equalsIgnoreCase("chunked") ? null : RequestRejection.TRANSFER_ENCODING;
    }

    private static @Nullable RequestRejection host(HttpRequest request, int maxHeaderCount) {
        Iterator<? extends CharSequence> hosts = request.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (hosts.hasNext()) {
            hosts.next();
            if (hosts.hasNext()) {
                return RequestRejection.DUPLICATE_HOST;
            }
        }
        return null;
    }

    private static @Nullable RequestRejection headerCount(HttpRequest request, int maxHeaderCount) {
        return request.headers().size() > maxHeaderCount ? RequestRejection.TOO_MANY_HEADERS : null;
    }

    /** The decoder validates values already; this holds if it is ever configured not to. */
    private static @Nullable RequestRejection headerValues(HttpRequest request, int maxHeaderCount) {
        var it = request.headers().iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence value = it.next().getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return RequestRejection.CONTROL_CHARACTER;
                }
            }
        }
        return null;
    }
}
