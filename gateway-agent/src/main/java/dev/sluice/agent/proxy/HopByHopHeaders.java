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
 */
final class HopByHopHeaders {

    private static final AsciiString[] FIXED = {
        HttpHeaderNames.CONNECTION, AsciiString.cached("keep-alive"), HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE
    };
    private static final String PROXY_PREFIX = "proxy-";

    private HopByHopHeaders() {}

    static void remove(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            removeNamed(headers, connection.get(i));
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
        List<CharSequence> proxyHeaders = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (name.length() > PROXY_PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length())) {
                if (proxyHeaders == null) {
                    proxyHeaders = new ArrayList<>(2);
                }
                proxyHeaders.add(name);
            }
        }
        if (proxyHeaders != null) {
            for (CharSequence name : proxyHeaders) {
                headers.remove(name);
            }
        }
    }

    /** Removes each comma-separated header name listed in one Connection header value. */
    private static void removeNamed(HttpHeaders headers, String connectionValue) {
        int start = 0;
        int length = connectionValue.length();
        while (start < length) {
            int comma = connectionValue.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            String token = connectionValue.substring(start, end).trim();
            if (!token.isEmpty()) {
                headers.remove(token);
            }
            start = end + 1;
        }
    }
}
