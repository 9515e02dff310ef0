package dev.sluice.agent.filter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
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

    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    public Rejection {
        headers = List.copyOf(headers);
        violations = List.copyOf(violations);
    }

    public static Rejection of(HttpResponseStatus status, String message, RejectionReason reason) {
        return new Rejection(status, message, reason, List.of(), List.of());
    }

    /**
     * The error envelope {@code {"code":…,"message":…,"requestId":…}} (plus {@code "violations":[{"field":…,
     * "rule":…}]} when there are any) with this rejection's headers. The response owns a buffer from
     * {@code alloc}; whoever writes it hands that ownership to the channel.
     */
    public FullHttpResponse toResponse(ByteBufAllocator alloc, String requestId) {
        StringBuilder json = new StringBuilder(96 + message.length() + 48 * violations.size());
        json.append("{\"code\":").append(status.code()).append(",\"message\":");
        appendQuoted(json, message);
        json.append(",\"requestId\":");
        appendQuoted(json, requestId);
        if (!violations.isEmpty()) {
            json.append(",\"violations\":[");
            for (int i = 0; i < violations.size(); i++) {
                FieldViolation v = violations.get(i);
                json.append(i == 0 ? "{\"field\":" : ",{\"field\":");
                appendQuoted(json, v.field());
                json.append(",\"rule\":");
                appendQuoted(json, v.rule());
                json.append('}');
            }
            json.append(']');
        }
        json.append('}');
        ByteBuf body = ByteBufUtil.writeUtf8(alloc, json);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        for (Map.Entry<String, String> header : headers) {
            response.headers().add(header.getKey(), header.getValue());
        }
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(X_REQUEST_ID, requestId);
        return response;
    }

    private static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
