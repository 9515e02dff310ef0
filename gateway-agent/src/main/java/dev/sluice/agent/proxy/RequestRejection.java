package dev.sluice.agent.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the gateway refuses before routing because its framing or syntax cannot be trusted (or a
 * limit was crossed): fired down the client pipeline in place of the request, so that
 * {@link ProxyFrontendHandler} answers it in order after earlier pipelined requests and then closes the
 * connection. Instances are constants; {@code reason} labels the {@code sluice_requests_refused_total}
 * metric.
 */
record RequestRejection(HttpResponseStatus status, String message, String reason) {

    static final RequestRejection OBS_FOLD = bad("header line folding (obs-fold) is not accepted", "obs_fold");
    static final RequestRejection SPACE_BEFORE_COLON =
            bad("whitespace between a header name and the colon is not accepted", "header_syntax");
    static final RequestRejection BARE_CR = bad("a CR not followed by LF is not accepted", "bare_cr");
    static final RequestRejection BARE_LF = bad("lines must end with CRLF", "bare_lf");
    static final RequestRejection CONTROL_CHARACTER =
            bad("header values must not contain NUL or other control characters", "control_character");
    static final RequestRejection HEADER_SYNTAX = bad("a header field is malformed", "header_syntax");
    static final RequestRejection CONTENT_LENGTH_WITH_TRANSFER_ENCODING =
            bad("Content-Length and Transfer-Encoding must not both be sent", "cl_te");
    static final RequestRejection CONTENT_LENGTH = bad("Content-Length must be one non-negative decimal number", "content_length");
    static final RequestRejection TRANSFER_ENCODING = bad("Transfer-Encoding must be exactly 'chunked'", "transfer_encoding");
    static final RequestRejection TRANSFER_ENCODING_HTTP_10 =
            bad("Transfer-Encoding is not allowed on an HTTP/1.0 request", "transfer_encoding");
    static final RequestRejection CHUNK = bad("a chunk size or chunk extension is malformed", "chunk");
    static final RequestRejection ABSOLUTE_FORM = bad(
            "absolute-form request targets are for forward proxies; send the path (origin-form) and a Host header",
            "request_target");
    static final RequestRejection REQUEST_TARGET = bad("the request target is malformed", "request_target");
    static final RequestRejection DUPLICATE_HOST = bad("more than one Host header", "host");
    static final RequestRejection MALFORMED = bad("the request is not valid HTTP/1.1", "malformed");
    static final RequestRejection VERSION = new RequestRejection(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
            "only HTTP/1.0 and HTTP/1.1 are served on this connection", "version");
    static final RequestRejection URI_TOO_LONG =
            new RequestRejection(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is too long", "uri_too_long");
    static final RequestRejection HEADERS_TOO_LARGE = new RequestRejection(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are too large", "headers_too_large");
    static final RequestRejection TOO_MANY_HEADERS = new RequestRejection(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request has too many header fields", "too_many_headers");
    static final RequestRejection HEADER_TIMEOUT = new RequestRejection(HttpResponseStatus.REQUEST_TIMEOUT,
            "the request head did not arrive in time", "header_timeout");
    static final RequestRejection BODY_TIMEOUT = new RequestRejection(HttpResponseStatus.REQUEST_TIMEOUT,
            "the request body stopped arriving", "body_timeout");

    private static RequestRejection bad(String message, String reason) {
        return new RequestRejection(HttpResponseStatus.BAD_REQUEST, message, reason);
    }
}
