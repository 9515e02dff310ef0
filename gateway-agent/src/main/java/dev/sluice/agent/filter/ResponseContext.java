package dev.sluice.agent.filter;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What a filter sees of a response before its head is written to the client: the status and the
 * mutable headers, plus the request (headers as they were forwarded) and the filter's own state.
 */
public interface ResponseContext {

    FilterContext request();

    int status();

    HttpHeaders headers();
}
