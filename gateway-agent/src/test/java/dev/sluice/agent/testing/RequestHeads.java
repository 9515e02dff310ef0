package dev.sluice.agent.testing;

import java.io.IOException;
import java.io.InputStream;

/** Request heads as the raw-socket test upstreams see them: read and thrown away, up to the blank line. */
final class RequestHeads {

    private RequestHeads() {}

    /** Reads up to and including the CRLF CRLF that ends a head; false when the stream ended first. */
    static boolean skip(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int c = 0;
        while (matched < 4 && (c = in.read()) != -1) {
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return c != -1;
    }
}
