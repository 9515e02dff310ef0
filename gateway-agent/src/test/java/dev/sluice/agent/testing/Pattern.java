package dev.sluice.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic test bodies of any size generated on the fly (never held in memory): byte i is
 * {@code (i * 31 + i / 4096) & 0xff}. Both ends can compute the SHA-256 of N bytes independently.
 */
public final class Pattern {

    private Pattern() {}

    static byte at(long i) {
        return (byte) ((i * 31 + i / 4096) & 0xff);
    }

    public static void write(OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        while (written < n) {
            int len = (int) Math.min(buffer.length, n - written);
            for (int i = 0; i < len; i++) {
                buffer[i] = at(written + i);
            }
            out.write(buffer, 0, len);
            written += len;
        }
    }

    /** An input stream of the first n pattern bytes. */
    public static InputStream stream(long n) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < n ? at(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= n) {
                    return -1;
                }
                int count = (int) Math.min(len, n - position);
                for (int i = 0; i < count; i++) {
                    b[off + i] = at(position + i);
                }
                position += count;
                return count;
            }
        };
    }

    public static String sha256(long n) throws IOException {
        return sha256(stream(n));
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) > 0) {
            digest.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
