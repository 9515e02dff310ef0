package dev.sluice.agent.proxy;

import dev.sluice.agent.http.ErrorEnvelope;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The header names the proxy meets on every request, as shared {@link AsciiString}s: Netty's {@link
 * HttpHeaderNames}, the usual response names in their usual spelling, and the forwarding headers the
 * proxy adds. The upstream decoder hands out one of these instead of copying each name out of every
 * response (matched byte for byte, so the upstream's spelling is kept), and {@link #HEADERS} skips
 * re-validating a name that is one of these very instances (each was validated once, here); every
 * other name is validated as Netty's default factory does. Immutable, shared by every event loop.
 */
final class KnownHeaderNames {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");

    private static final String[] USUAL_SPELLING = {
        "Server", "Date", "Content-Type", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
        "Cache-Control", "ETag", "Last-Modified", "Expires", "Vary", "Location", "Set-Cookie",
        "Content-Encoding", "Content-Language", "Content-Disposition", "Accept-Ranges", "Age", "Pragma",
        "Allow", "Link", "Retry-After", "WWW-Authenticate", "Trailer", "Upgrade", "Via", "X-Request-Id",
        "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers", "Content-Security-Policy",
        "Referrer-Policy",
    };
    /** Open addressing, a power of two at most half full, so a miss ends after a probe or two. */
    private static final AsciiString[] TABLE = new AsciiString[512];
    private static final NameValidator<CharSequence> DEFAULT_VALIDATOR =
            DefaultHttpHeadersFactory.headersFactory().getNameValidator();

    static {
        for (AsciiString own : new AsciiString[] {X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, X_REAL_IP,
                ErrorEnvelope.X_REQUEST_ID}) {
            put(own);
        }
        for (Field field : HttpHeaderNames.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == AsciiString.class) {
                put((AsciiString) get(field));
            }
        }
        for (String name : USUAL_SPELLING) {
            put(AsciiString.cached(name));
            put(AsciiString.cached(name.toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * Request and response headers validated as Netty's default ones are, except that a name which is
     * one of the shared instances here is not scanned again on every add and set.
     */
    static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withNameValidator(KnownHeaderNames::validate);

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

    /** Whether {@code name} is one of the shared instances themselves (an equal copy is not). */
    static boolean isShared(CharSequence name) {
        if (!(name instanceof AsciiString ascii) || ascii.isEmpty()) {
            return false;
        }
        int mask = TABLE.length - 1;
        for (int i = slot(ascii.byteAt(0), ascii.byteAt(ascii.length() - 1), ascii.length()) & mask; ;
                i = (i + 1) & mask) {
            AsciiString candidate = TABLE[i];
            if (candidate == null) {
                return false;
            }
            if (candidate == ascii) {
                return true;
            }
        }
    }

    private static void validate(CharSequence name) {
        if (!isShared(name)) {
            DEFAULT_VALIDATOR.validateName(name);
        }
    }

    private static void put(AsciiString name) {
        // Validated once here, so that HEADERS may skip it from now on.
        DEFAULT_VALIDATOR.validateName(name);
        int mask = TABLE.length - 1;
        int i = slot(name.byteAt(0), name.byteAt(name.length() - 1), name.length()) & mask;
        while (TABLE[i] != null) {
            if (TABLE[i].equals(name)) {
                // The same spelling twice (Netty's constant and a lower-case copy): the first one is kept.
                return;
            }
            i = (i + 1) & mask;
        }
        TABLE[i] = name;
    }

    private static Object get(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read HttpHeaderNames." + field.getName(), e);
        }
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
