package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The decision logic of the {@code response-size} guard, for the proxy to call: up front with the
 * upstream's {@code Content-Length} (too large → answer the client with {@link #rejection()}, a 502
 * envelope, and discard the upstream connection) and per body chunk with the running total (too large
 * once the head was sent → abort the response: close the client connection and the upstream one).
 * Stateless; the proxy keeps the running total.
 */
public final class ResponseSizeGuard {

    private final long maxBytes;
    private final Rejection rejection;

    public ResponseSizeGuard(ResponseSizeSettings settings) {
        List<Violation> found = settings.validate(ResponseSizeSettings.NAME);
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("invalid response-size settings: " + found);
        }
        this.maxBytes = settings.maxBytes();
        this.rejection = Rejection.of(HttpResponseStatus.BAD_GATEWAY,
                "the upstream response is larger than this route allows (" + maxBytes + " bytes)",
                RejectionReason.RESPONSE_TOO_LARGE);
    }

    static @Nullable ResponseSizeGuard create(ResponseSizeSettings settings, String path, List<Violation> violations) {
        List<Violation> found = settings.validate(path);
        violations.addAll(found);
        return found.isEmpty() ? new ResponseSizeGuard(settings) : null;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Whether a response announcing {@code contentLength} may start; -1 (unknown) is allowed. */
    public boolean allowsContentLength(long contentLength) {
        return contentLength <= maxBytes;
    }

    /** Whether the body may go on after {@code bytesSoFar} bytes in total were received. */
    public boolean allowsBodySoFar(long bytesSoFar) {
        return bytesSoFar <= maxBytes;
    }

    /** The 502 the client gets when the response is refused before its head was sent. */
    public Rejection rejection() {
        return rejection;
    }

    /** The metric label for both refusal and abort. */
    public RejectionReason reason() {
        return RejectionReason.RESPONSE_TOO_LARGE;
    }
}
