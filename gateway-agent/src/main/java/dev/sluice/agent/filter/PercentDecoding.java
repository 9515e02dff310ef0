package dev.sluice.agent.filter;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Percent-decoding of path and query components without exceptions: malformed input gives null. */
final class PercentDecoding {

    private PercentDecoding() {}

    /**
     * The decoded text (UTF-8), or null when a {@code %} is not followed by two hex digits. With
     * {@code plusIsSpace} (query strings), {@code +} means a space. Returns {@code raw} itself when
     * there is nothing to decode.
     */
    static @Nullable String decode(String raw, boolean plusIsSpace) {
        int first = -1;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+')) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return raw;
        }
        byte[] bytes = new byte[raw.length() * 3];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (plusIsSpace && c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(encoded, 0, bytes, n, encoded.length);
                n += encoded.length;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
