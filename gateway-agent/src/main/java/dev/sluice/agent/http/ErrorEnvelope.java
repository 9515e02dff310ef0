package dev.sluice.agent.http;

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

/**
 * The one writer of the JSON error envelope, {@code {"code":…,"message":…,"requestId":…}} (plus
 * {@code "violations":[{"field":…,"rule":…}]} when a request broke declared rules), sent as
 * {@code application/json} with the matching status, {@code Cache-Control: no-store} and
 * {@code X-Request-Id}. The returned response owns a buffer from the given allocator; whoever writes it
 * hands that ownership to the channel.
 */
public final class ErrorEnvelope {

    public static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    /** One broken rule listed in the envelope: the field ({@code query.page}) and the rule ({@code integer}). */
    public interface FieldError {
        String field();

        String rule();
    }

    private ErrorEnvelope() {}

    public static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, String message, String requestId) {
        return create(alloc, status, message, requestId, List.of());
    }

    public static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, String message, String requestId,
            List<? extends FieldError> violations) {
        StringBuilder json = new StringBuilder(64 + message.length() + requestId.length() + 48 * violations.size());
        json.append("{\"code\":").append(status.code()).append(",\"message\":");
        appendQuoted(json, message);
        json.append(",\"requestId\":");
        appendQuoted(json, requestId);
        if (!violations.isEmpty()) {
            json.append(",\"violations\":[");
            for (int i = 0; i < violations.size(); i++) {
                FieldError v = violations.get(i);
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
