package dev.sluice.agent.filter;

import dev.sluice.agent.http.ErrorEnvelope;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * A request the gateway answers itself with a body-less success (a CORS preflight's 204); the
 * upstream is never contacted. Not a rejection: it is not counted as one.
 */
public record Reply(HttpResponseStatus status, List<Map.Entry<String, String>> headers) implements FilterDecision {

    public Reply {
        headers = List.copyOf(headers);
    }

    /** The response to write; it holds an empty, unpooled body, so there is nothing to release. */
    public FullHttpResponse toResponse(String requestId) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        for (Map.Entry<String, String> header : headers) {
            response.headers().add(header.getKey(), header.getValue());
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(ErrorEnvelope.X_REQUEST_ID, requestId);
        return response;
    }
}
