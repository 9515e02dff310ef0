package dev.sluice.agent.proxy;

import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * The header names upstream responses usually carry, as shared {@link AsciiString}s, so that the
 * decoder can hand out one of these instead of copying each name out of every response. A name is
 * matched byte for byte (so the case it had on the wire is kept); both the usual spelling and the
 * lower-case one (HTTP/2-style servers) are known. Immutable, shared by every event loop.
 */
final class KnownHeaderNames {

    private static final String[] NAMES = {
        "Server", "Date", "Content-Type", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
        "Cache-Control", "ETag", "Last-Modified", "Expires", "Vary", "Location", "Set-Cookie",
        "Content-Encoding", "Content-Language", "Content-Disposition", "Accept-Ranges", "Age", "Pragma",
        "Allow", "Link", "Retry-After", "WWW-Authenticate", "Trailer", "Upgrade", "Via", "X-Request-Id",
        "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers", "Content-Security-Policy",
        "Referrer-Policy",
    };
    /** Open addressing, a power of two at most half full, so a miss ends after a probe or two. */
    private static final AsciiString[] TABLE = new AsciiString[256];

    static {
        for (String name : NAMES) {
            put(AsciiString.cached(name));
            put(AsciiString.cached(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private KnownHeaderNames() {}

    /** The shared name equal to {@code length} bytes of {@code bytes} at {@code start}, or null. */
    static @Nullable AsciiString find(byte[] bytes, int start, int length) {
        if (length == 0) {
            return null;
        }
        int mask = TABLE.length - 1;
        for (int i = slot(bytes[start], bytes[start + length - 1], length) & mask; ; i = (i + 1) & mask) {
            AsciiString candidate = TABLE[i];
            if (candidate == null) {
                return null;
            }
            if (candidate.length() == length && sameBytes(candidate, bytes, start)) {
                return candidate;
            }
        }
    }

    private static void put(AsciiString name) {
        int mask = TABLE.length - 1;
        int i = slot(name.byteAt(0), name.byteAt(name.length() - 1), name.length()) & mask;
        while (TABLE[i] != null) {
            i = (i + 1) & mask;
        }
        TABLE[i] = name;
    }

    private static int slot(byte first, byte last, int length) {
        return (first * 31 + last) * 31 + length;
    }

    private static boolean sameBytes(AsciiString name, byte[] bytes, int start) {
        byte[] own = name.array();
        int offset = name.arrayOffset();
        for (int i = 0; i < name.length(); i++) {
            if (own[offset + i] != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }
}
