package dev.sluice.agent.filter;

import dev.sluice.agent.http.ErrorEnvelope;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * A filter's refusal: the status, a message for the client, the metric {@link RejectionReason},
 * extra response headers ({@code WWW-Authenticate}) and, for validation, every failed rule. Rejections
 * with fixed text are built once per filter, so refusing allocates nothing until the response is
 * written with {@link #toResponse}.
 */
public record Rejection(
        HttpResponseStatus status,
        String message,
        RejectionReason reason,
        List<Map.Entry<String, String>> headers,
        List<FieldViolation> violations) implements FilterDecision {

    public Rejection {
        headers = List.copyOf(headers);
        violations = List.copyOf(violations);
    }

    public static Rejection of(HttpResponseStatus status, String message, RejectionReason reason) {
        return new Rejection(status, message, reason, List.of(), List.of());
    }

    /**
     * The error envelope ({@link ErrorEnvelope}, with {@code "violations"} when there are any) plus this
     * rejection's headers. The response owns a buffer from {@code alloc}; whoever writes it hands that
     * ownership to the channel.
     */
    public FullHttpResponse toResponse(ByteBufAllocator alloc, String requestId) {
        FullHttpResponse response = ErrorEnvelope.create(alloc, status, message, requestId, violations);
        for (Map.Entry<String, String> header : headers) {
            response.headers().add(header.getKey(), header.getValue());
        }
        return response;
    }
}
