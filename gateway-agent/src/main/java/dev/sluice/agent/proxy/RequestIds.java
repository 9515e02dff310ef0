package dev.sluice.agent.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Request ids: a client's {@code X-Request-Id} is kept when it is 1–128 characters of
 * {@code [A-Za-z0-9._-]} (safe to log and to echo), otherwise a random 32-hex-digit id replaces it.
 */
public final class RequestIds {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestIds() {}

    public static boolean isWellFormed(@Nullable CharSequence id) {
        if (id == null || id.length() == 0 || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Latin-1 bytes become the String's own array in one copy; a char[] would be compressed first.
        byte[] id = new byte[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** The client's id when well-formed, else a fresh one. */
    public static String acceptOrGenerate(@Nullable String fromClient) {
        return isWellFormed(fromClient) ? fromClient : generate();
    }
}
