package dev.sluice.agent.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1):
 * the fixed set, every {@code Proxy-*} header and every header the {@code Connection} header names.
 * The caller re-adds framing ({@code Transfer-Encoding: chunked}) for the next hop itself.
 *
 * <p>Runs twice per proxied request, so the common case (one {@code Connection: keep-alive} or
 * none, no {@code Proxy-*} header) allocates nothing but the header iterator.
 */
final class HopByHopHeaders {

    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString[] FIXED = {
        HttpHeaderNames.CONNECTION, KEEP_ALIVE, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE
    };
    private static final String PROXY_PREFIX = "proxy-";

    private HopByHopHeaders() {}

    static void remove(HttpHeaders headers) {
        // One pass collects what to remove: removing while iterating is not supported.
        CharSequence connection = null;
        List<CharSequence> moreConnection = null;
        List<CharSequence> proxyHeaders = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
                if (connection == null) {
                    connection = header.getValue();
                } else {
                    if (moreConnection == null) {
                        moreConnection = new ArrayList<>(2);
                    }
                    moreConnection.add(header.getValue());
                }
            } else if (name.length() > PROXY_PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length())) {
                if (proxyHeaders == null) {
                    proxyHeaders = new ArrayList<>(2);
                }
                proxyHeaders.add(name);
            }
        }
        if (connection != null) {
            removeNamed(headers, connection);
        }
        if (moreConnection != null) {
            for (CharSequence value : moreConnection) {
                removeNamed(headers, value);
            }
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
        if (proxyHeaders != null) {
            for (CharSequence name : proxyHeaders) {
                headers.remove(name);
            }
        }
    }

    /** Removes each comma-separated header name listed in one Connection header value. */
    private static void removeNamed(HttpHeaders headers, CharSequence connectionValue) {
        int start = 0;
        int length = connectionValue.length();
        while (start < length) {
            int end = start;
            while (end < length && connectionValue.charAt(end) != ',') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && isSpace(connectionValue.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(connectionValue.charAt(to - 1))) {
                to--;
            }
            int n = to - from;
            if (n == CLOSE.length() && AsciiString.regionMatches(connectionValue, true, from, CLOSE, 0, n)) {
                headers.remove(CLOSE);
            } else if (n > 0 && !(n == KEEP_ALIVE.length()
                    && AsciiString.regionMatches(connectionValue, true, from, KEEP_ALIVE, 0, n))) {
                // keep-alive is among FIXED; the two common tokens are matched without cutting a string.
                headers.remove(connectionValue.subSequence(from, to).toString());
            }
            start = end + 1;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
