package dev.sluice.agent.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Builds every response the gateway itself produces: {@code {"code":…,"message":…,"requestId":…}}
 * as {@code application/json} with the matching status. The returned response owns a buffer; whoever
 * writes it hands that ownership to the channel.
 */
public final class ErrorEnvelope {

    static final String REQUEST_ID = "x-request-id";

    private ErrorEnvelope() {}

    public static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, String message, String requestId) {
        StringBuilder json = new StringBuilder(64 + message.length() + requestId.length());
        json.append("{\"code\":").append(status.code()).append(",\"message\":");
        appendQuoted(json, message);
        json.append(",\"requestId\":");
        appendQuoted(json, requestId);
        json.append('}');
        ByteBuf body = ByteBufUtil.writeUtf8(alloc, json);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(REQUEST_ID, requestId);
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
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
