package dev.sluice.agent.proxy;

import dev.sluice.agent.filter.FilterChain;
import dev.sluice.agent.filter.FilterDecision;
import dev.sluice.agent.filter.FilterExchange;
import dev.sluice.agent.filter.PathParamSource;
import dev.sluice.agent.filter.Rejection;
import dev.sluice.agent.filter.Reply;
import dev.sluice.agent.filter.ResponseSizeGuard;
import dev.sluice.agent.http.ErrorEnvelope;
import dev.sluice.agent.proxy.tunnel.WebSocketTunnel;
import dev.sluice.agent.resilience.CallPermit;
import dev.sluice.agent.resilience.RateLimitDecision;
import dev.sluice.agent.runtime.GatewaySnapshot;
import dev.sluice.agent.telemetry.ErrorCause;
import dev.sluice.agent.telemetry.RouteRecorder;
import dev.sluice.agent.telemetry.AccessLog;
import dev.sluice.agent.telemetry.RouteMetrics;
import dev.sluice.agent.upstream.UpstreamInstance;
import dev.sluice.agent.upstream.UpstreamService;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each request of one client connection to an upstream and the response back: this class
 * answers "what happens to a request" — {@link #onRequest} reads top to bottom (request id, path
 * normalization, routing, body limit, the route's filters, rate limit, instance choice, header rewrite,
 * upstream connection). Everything
 * runs on the client connection's event loop; the upstream connection is opened or borrowed on that
 * same loop. Pipelined requests wait in order until the current exchange ends.
 *
 * <p>Buffer ownership: request bodies read from the client pass to the upstream channel's write (or
 * wait in {@code pendingBody} until it is connected); response parts from {@link ProxyBackendHandler}
 * pass to the client channel's write. Anything dropped is released where it is dropped. Relayed
 * parts are written with the void promise: a failed write surfaces as exceptionCaught on that
 * channel, which ends the exchange.
 */
final class ProxyFrontendHandler extends ChannelInboundHandlerAdapter implements PathParamSource {

    /** A user event telling the connection to close once its current exchange (if any) ends. */
    static final Object DRAIN = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(ProxyFrontendHandler.class);
    private static final AsciiString X_FORWARDED_FOR = KnownHeaderNames.X_FORWARDED_FOR;
    private static final AsciiString X_FORWARDED_PROTO = KnownHeaderNames.X_FORWARDED_PROTO;
    private static final AsciiString X_FORWARDED_HOST = KnownHeaderNames.X_FORWARDED_HOST;
    private static final AsciiString X_REAL_IP = KnownHeaderNames.X_REAL_IP;
    private static final AsciiString X_REQUEST_ID = ErrorEnvelope.X_REQUEST_ID;
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString RATELIMIT_LIMIT = AsciiString.cached("ratelimit-limit");
    private static final AsciiString RATELIMIT_REMAINING = AsciiString.cached("ratelimit-remaining");
    private static final AsciiString RATELIMIT_RESET = AsciiString.cached("ratelimit-reset");
    /** How an upstream attempt ended, for the breaker and outlier detection. */
    private static final int SUCCEEDED = 0;
    private static final int FAILED = 1;
    private static final int RELEASED = 2;

    private final ProxyContext context;
    /** The listener's body limit, for routes that set none. */
    private final long listenerMaxBodyBytes;
    /** The client's scheme as upstreams see it in X-Forwarded-Proto. */
    private final AsciiString forwardedProto;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    private final ChannelFutureListener connectListener = this::onConnected;
    private final Runnable responseTimeoutTask = this::onResponseTimeout;
    /** The filter chain's view of the current request; one per connection, reused. */
    private final FilterExchange filterExchange = new FilterExchange();

    private @Nullable ChannelHandlerContext ctx;
    private String clientIp = "-";
    private boolean draining;
    /** The rest of an already-answered request body is read and dropped. */
    private boolean discardingBody;

    // State of the exchange in progress; reset by finishExchange().
    private boolean active;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseKeepAlive;
    private boolean skipInterimResponse;
    private boolean upstreamReused;
    private boolean upstreamReusable;
    private boolean retried;
    /** The client asked for a WebSocket upgrade; a 101 from the upstream turns the exchange into a tunnel. */
    private boolean upgradeRequested;
    private boolean clientKeepAlive;
    private boolean clientHttp10;
    private long startNanos;
    private long startMillis;
    private long bytesIn;
    private long bytesOut;
    private int status;
    private String requestId = "-";
    private HttpMethod method = HttpMethod.GET;
    private String uri = "-";
    private @Nullable GatewaySnapshot snapshot;
    private @Nullable RouteMetrics metrics;
    private @Nullable ProxyRoute route;
    private @Nullable UpstreamInstance instance;
    private @Nullable HttpRequest upstreamRequest;
    private @Nullable Channel connecting;
    private @Nullable Channel upstream;
    private @Nullable ProxyBackendHandler backend;
    /** Whether a response head is awaited by {@link #responseDeadline} (System.nanoTime). */
    private boolean awaitingResponse;
    private long responseDeadline;
    /**
     * The timer that checks the deadline. It outlives the exchange that armed it and serves the
     * next ones, so a busy keep-alive connection schedules one task per timeout period instead of
     * one per request (each scheduled task is an allocation and a timer-queue insert and removal).
     */
    private @Nullable ScheduledFuture<?> responseTimer;
    private long responseTimerDue;
    /** The breaker's permit for the attempt in progress; null when none is outstanding. */
    private @Nullable CallPermit permit;
    private long attemptStartNanos;
    private int attempts;
    private @Nullable ErrorCause errorCause;
    /** The route's filters when its chain ran for this exchange; their response phase sees every head written. */
    private @Nullable RouteFilters filters;
    /** The route match, only while the filter chain's request phase runs (path parameters). */
    private RouteResolver.@Nullable Resolution pathParams;
    private @Nullable ResponseSizeGuard responseSizeGuard;
    private long responseBodyBytes;
    /** The upstream's response head, relayed but not yet written to the client. */
    private @Nullable HttpResponse pendingHead;

    ProxyFrontendHandler(ProxyContext context, long listenerMaxBodyBytes, AsciiString forwardedProto) {
        this.context = context;
        this.listenerMaxBodyBytes = listenerMaxBodyBytes;
        this.forwardedProto = forwardedProto;
    }

    ProxyFrontendHandler(ProxyContext context) {
        this(context, Long.MAX_VALUE, HTTP);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            clientIp = inet.getAddress().getHostAddress();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!pipelined.isEmpty() || (active && requestDone)) {
            // A pipelined request: it waits, in order, until the current exchange ends, and the
            // rest wait in the socket. Reading is turned off only now, not at the end of every
            // request: each switch is an epoll_ctl system call, two per request when done always.
            pipelined.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        if (msg instanceof RequestRejection rejection) {
            onRejected(rejection);
            return;
        }
        if (!(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DecoderResult result = object.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(msg);
            onDecodeFailure(result.cause());
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (active) {
                ReferenceCountUtil.release(msg);
                throw new IllegalStateException("request head arrived while the previous request body was still open");
            }
            onRequest(request);
        }
        if (msg instanceof HttpContent content) {
            if (active) {
                onRequestContent(content);
            } else {
                // Body of a request that was already answered (404, 413, …): drop it.
                content.release();
                if (content instanceof LastHttpContent) {
                    discardingBody = false;
                }
            }
        }
    }

    /** What happens to a request, in order. */
    private void onRequest(HttpRequest request) {
        beginExchange(request);
        GatewaySnapshot snap = snapshot();

        HttpHeaders headers = request.headers();
        String host = hostOf(headers.get(HttpHeaderNames.HOST));
        if (host == null && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            respondError(HttpResponseStatus.BAD_REQUEST, "the Host header is missing or malformed", true);
            return;
        }
        int query = uri.indexOf('?');
        String rawPath = query < 0 ? uri : uri.substring(0, query);
        String path = rawPath.startsWith("/") ? snap.routes().normalize(rawPath) : null;
        if (path == null) {
            respondError(HttpResponseStatus.BAD_REQUEST, "the request path is malformed", false);
            return;
        }

        RouteResolver.Resolution resolution = snap.routes().resolve(host == null ? "" : host, method.name(), path);
        if (resolution.outcome() == RouteResolver.Outcome.METHOD_NOT_ALLOWED) {
            FullHttpResponse response = errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + method.name() + " is not allowed here");
            response.headers().set(HttpHeaderNames.ALLOW, resolution.allowHeader());
            respond(response, false);
            return;
        }
        ProxyRoute found = resolution.route();
        if (resolution.outcome() != RouteResolver.Outcome.FOUND || found == null) {
            respondError(HttpResponseStatus.NOT_FOUND, "no route matches this request", false);
            return;
        }
        useRoute(found);

        if (HttpUtil.getContentLength(request, -1L) > maxBodyBytes(found)) {
            errorCause = ErrorCause.REJECTED;
            respondError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the request body is larger than " + maxBodyBytes(found) + " bytes", true);
            return;
        }
        FilterChain chain = found.filters().chain();
        if (!chain.isEmpty()) {
            filters = found.filters();
            pathParams = resolution;
            filterExchange.begin(method, path, this, query < 0 ? null : uri.substring(query + 1), headers, clientIp, requestId);
            FilterDecision decision = chain.onRequest(filterExchange);
            pathParams = null;
            if (decision != FilterDecision.CONTINUE) {
                respondFiltered(decision);
                return;
            }
        }
        RouteLimiter limiter = found.limiter();
        if (limiter != null) {
            RateLimitDecision decision = limiter.tryAcquire(headers, clientIp);
            if (!decision.allowed()) {
                respondRateLimited(decision);
                return;
            }
        }
        UpstreamService service = found.service();
        service.retryBudget().onRequest();
        if (!startAttempt(service)) {
            return;
        }

        String upstreamPath = found.pathRewrite().apply(path, resolution);
        request.setUri(query < 0 ? upstreamPath : upstreamPath + uri.substring(query));
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        upgradeRequested = WebSocketTunnel.isUpgradeRequest(request);
        HopByHopHeaders.remove(headers);
        if (upgradeRequested) {
            WebSocketTunnel.restoreUpgradeHeaders(headers);
        }
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(request, true);
        }
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? clientIp : forwardedFor + ", " + clientIp);
        headers.set(X_REAL_IP, clientIp);
        headers.set(X_FORWARDED_PROTO, forwardedProto);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, headers.get(HttpHeaderNames.HOST));
        }
        headers.set(X_REQUEST_ID, requestId);
        found.requestHeaders().apply(headers);
        upstreamRequest = request;

        acquireUpstream(false);
    }

    /** A filter answered the request itself: a rejection (counted by reason) or a reply such as a CORS preflight. */
    private void respondFiltered(FilterDecision decision) {
        if (decision instanceof Rejection rejection) {
            errorCause = ErrorCause.REJECTED;
            route().filters().rejected(rejection.reason());
            respond(rejection.toResponse(ctx().alloc(), requestId), false);
        } else if (decision instanceof Reply reply) {
            respond(reply.toResponse(requestId), false);
        }
    }

    @Override
    public @Nullable String param(String name) {
        RouteResolver.Resolution r = pathParams;
        return r == null ? null : r.param(name);
    }

    private void beginExchange(HttpRequest request) {
        active = true;
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
        snapshot = context.snapshots().get();
        method = request.method();
        uri = request.uri();
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        requestId = RequestIds.acceptOrGenerate(request.headers().get(X_REQUEST_ID));
    }

    private void useRoute(ProxyRoute found) {
        route = found;
        RouteMetrics routeMetrics = found.metrics();
        routeMetrics.started();
        metrics = routeMetrics;
        RouteRecorder recorder = found.recorder();
        if (recorder != null) {
            recorder.requestStarted();
        }
    }

    /**
     * Asks the service's breaker for a permit and its balancer for an instance; answers 503 itself
     * (and returns false) when either says no.
     */
    private boolean startAttempt(UpstreamService service) {
        CallPermit granted = service.breaker().tryAcquire();
        if (!granted.isPermitted()) {
            errorCause = ErrorCause.BREAKER_REJECTED;
            FullHttpResponse response = errorResponse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "service '" + service.name() + "' is not taking requests: its circuit breaker is open");
            response.headers().set(HttpHeaderNames.RETRY_AFTER, granted.retryAfterSeconds());
            respond(response, false);
            return false;
        }
        UpstreamInstance chosen = service.selector().select();
        if (chosen == null) {
            service.breaker().release(granted);
            errorCause = ErrorCause.NO_INSTANCE;
            respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "no instance of service '" + service.name() + "' is available", false);
            return false;
        }
        attempts++;
        permit = granted;
        instance = chosen;
        attemptStartNanos = System.nanoTime();
        chosen.endpoint().requestStarted();
        return true;
    }

    /** Reports how the attempt in progress ended to the breaker, outlier detection and the balancer. */
    private void endAttempt(int outcome) {
        CallPermit p = permit;
        if (p == null) {
            return;
        }
        permit = null;
        UpstreamInstance target = instance();
        UpstreamService service = route().service();
        target.endpoint().requestFinished();
        long duration = System.nanoTime() - attemptStartNanos;
        if (outcome == SUCCEEDED) {
            service.breaker().onSuccess(p, target.calls(), duration);
            service.outlier().onSuccess(target.outlier());
        } else if (outcome == FAILED) {
            service.breaker().onFailure(p, target.calls(), duration);
            service.outlier().onFailure(target.outlier());
        } else {
            service.breaker().release(p);
        }
    }

    /**
     * After a failed attempt (connect failure, 502, 503, 504, timeout): whether another one is made.
     * Only idempotent requests whose body was never streamed, within the route's attempts and the
     * service's retry budget.
     */
    private boolean retryAfterFailure() {
        ProxyRoute r = route();
        if (attempts >= r.retry().maxAttempts() || !requestDone || bytesIn != 0 || !isIdempotent(method) || draining
                || !r.service().retryBudget().tryAcquireRetry()) {
            return false;
        }
        closeUpstream();
        if (!startAttempt(r.service())) {
            return true;
        }
        retried = true;
        acquireUpstream(true);
        return true;
    }

    private void respondRateLimited(RateLimitDecision decision) {
        errorCause = null;
        ProxyRoute r = route();
        RouteRecorder recorder = r.recorder();
        if (recorder != null) {
            recorder.rateLimited();
        }
        FullHttpResponse response = errorResponse(HttpResponseStatus.TOO_MANY_REQUESTS,
                "rate limit of route '" + r.id() + "' exceeded");
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.RETRY_AFTER, decision.retryAfterSeconds());
        h.set(RATELIMIT_LIMIT, decision.limit());
        h.set(RATELIMIT_REMAINING, decision.remaining());
        h.set(RATELIMIT_RESET, decision.resetSeconds());
        respond(response, false);
    }

    private void acquireUpstream(boolean resend) {
        ChannelHandlerContext c = ctx();
        ProxyRoute r = route();
        UpstreamInstance target = instance();
        if (!resend || attempts > 1) {
            Channel pooled = context.upstreams().pollIdle(c.channel().eventLoop(), target, r.service());
            if (pooled != null) {
                upstreamReused = true;
                attachAndSend(pooled, resend);
                return;
            }
        }
        if (context.upstreams().atCapacity(c.channel().eventLoop(), target, r.service())) {
            endAttempt(RELEASED);
            errorCause = ErrorCause.NO_INSTANCE;
            respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "connection limit reached for upstream " + target.label(), false);
            return;
        }
        upstreamReused = false;
        // Until the upstream connection exists, read nothing more from the client (Netty's proxy example).
        c.channel().config().setAutoRead(false);
        ChannelFuture future = context.upstreams().connect(c.channel().eventLoop(), target, r.service());
        connecting = future.channel();
        future.addListener(connectListener);
    }

    private void onConnected(ChannelFuture future) {
        Channel channel = future.channel();
        if (channel != connecting) {
            // The exchange ended (client left, timeout) while connecting.
            channel.close();
            return;
        }
        connecting = null;
        if (!future.isSuccess()) {
            endAttempt(FAILED);
            if (retryAfterFailure()) {
                return;
            }
            if (future.cause() instanceof ConnectTimeoutException) {
                errorCause = ErrorCause.UPSTREAM_TIMEOUT;
                respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "timed out connecting to upstream " + instance().label(), false);
            } else {
                errorCause = ErrorCause.UPSTREAM_CONNECT;
                respondError(HttpResponseStatus.BAD_GATEWAY, "cannot connect to upstream " + instance().label(), false);
            }
            return;
        }
        attachAndSend(channel, retried);
        if (!requestDone) {
            ctx().channel().config().setAutoRead(channel.isWritable());
        }
    }

    private void attachAndSend(Channel channel, boolean resend) {
        upstream = channel;
        ProxyBackendHandler handler = channel.pipeline().get(ProxyBackendHandler.class);
        backend = handler;
        handler.attach(this);
        channel.write(upstreamRequest(), channel.voidPromise());
        if (resend) {
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        }
        HttpContent body;
        while ((body = pendingBody.poll()) != null) {
            channel.write(body, channel.voidPromise());
        }
        channel.flush();
        if (requestDone) {
            armResponseTimeout();
        } else if (!channel.isWritable()) {
            ctx().channel().config().setAutoRead(false);
        }
    }

    private void onRequestContent(HttpContent content) {
        ProxyRoute r = route();
        bytesIn += content.content().readableBytes();
        if (bytesIn > maxBodyBytes(r)) {
            content.release();
            endAttempt(RELEASED);
            errorCause = ErrorCause.REJECTED;
            respondError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the request body is larger than " + maxBodyBytes(r) + " bytes", true);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestDone = true;
        }
        Channel up = upstream;
        if (up == null) {
            pendingBody.add(content);
            return;
        }
        up.write(content, up.voidPromise());
        if (last) {
            up.flush();
            armResponseTimeout();
        } else if (!up.isWritable()) {
            ctx().channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel up = upstream;
        if (up != null) {
            up.flush();
        }
        ctx.fireChannelReadComplete();
    }

    void onUpstreamMessage(Object msg) {
        if (!active || upstream == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                closeUpstream();
                endAttempt(FAILED);
                errorCause = ErrorCause.UPSTREAM_PROTOCOL;
                respondError(HttpResponseStatus.BAD_GATEWAY, "upstream sent a malformed response", false);
                return;
            }
            if (upgradeRequested && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                onUpgraded(response);
                return;
            }
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // Interim responses (102, 103) are not relayed; Expect was answered by the gateway itself.
                skipInterimResponse = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            int code = response.status().code();
            if (code >= 500) {
                endAttempt(FAILED);
                if ((code == 502 || code == 503 || code == 504) && retryAfterFailure()) {
                    // The failed answer is dropped with its connection; the next attempt answers.
                    ReferenceCountUtil.release(msg);
                    return;
                }
            } else {
                endAttempt(SUCCEEDED);
            }
            onResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                // A broken body framing from the upstream (bad chunk size): the response cannot be completed.
                content.release();
                if (!dropPendingHead()) {
                    abort();
                    return;
                }
                closeUpstream();
                errorCause = ErrorCause.UPSTREAM_PROTOCOL;
                respondError(HttpResponseStatus.BAD_GATEWAY, "upstream " + instance().label() + " sent a malformed response body", false);
                return;
            }
            if (skipInterimResponse) {
                content.release();
                if (content instanceof LastHttpContent) {
                    skipInterimResponse = false;
                }
                return;
            }
            onResponseContent(content);
        }
    }

    /** The upstream accepted a WebSocket upgrade: the exchange ends with its 101 and both connections become a tunnel. */
    private void onUpgraded(HttpResponse response) {
        cancelResponseTimeout();
        endAttempt(SUCCEEDED);
        responseStarted = true;
        status = response.status().code();
        HttpHeaders headers = response.headers();
        HopByHopHeaders.remove(headers);
        WebSocketTunnel.restoreUpgradeHeaders(headers);
        headers.set(X_REQUEST_ID, requestId);
        Channel up = upstream();
        detachUpstream();
        // Not kept alive as HTTP: finishExchange must not read another request from this connection.
        responseKeepAlive = false;
        finishExchange();
        WebSocketTunnel.open(ctx().channel(), "http", up, "http", response);
    }

    private void onResponseHead(HttpResponse response) {
        RouteFilters routeFilters = filters;
        ResponseSizeGuard guard = routeFilters == null ? null : routeFilters.chain().responseSizeGuard();
        if (guard != null && !guard.allowsContentLength(HttpUtil.getContentLength(response, -1L))) {
            // Refused before anything was sent: the client gets a 502 and the upstream connection is dropped.
            ReferenceCountUtil.release(response);
            closeUpstream();
            errorCause = ErrorCause.REJECTED;
            routeFilters.rejected(guard.reason());
            respond(guard.rejection().toResponse(ctx().alloc(), requestId), false);
            return;
        }
        responseSizeGuard = guard;
        cancelResponseTimeout();
        responseStarted = true;
        status = response.status().code();
        upstreamReusable = HttpUtil.isKeepAlive(response);
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        HopByHopHeaders.remove(headers);
        boolean bodyless = method == HttpMethod.HEAD || status == 204 || status == 304;
        boolean unframed = !bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (!clientHttp10 && (chunked || unframed)) {
            HttpUtil.setTransferEncodingChunked(response, true);
            unframed = false;
        }
        headers.set(X_REQUEST_ID, requestId);
        route().responseHeaders().apply(headers);
        runResponseFilters(response);
        // An HTTP/1.0 client cannot read chunks: a body of unknown length ends with the connection.
        responseKeepAlive = clientKeepAlive && requestDone && !draining && !unframed;
        if (!responseKeepAlive) {
            HttpUtil.setKeepAlive(response, false);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        // Held until the first body part or the end of this upstream read, so that a body that is broken
        // from its first byte still becomes a 502 rather than a cut connection.
        pendingHead = response;
    }

    private void onResponseContent(HttpContent content) {
        ResponseSizeGuard guard = responseSizeGuard;
        if (guard != null) {
            responseBodyBytes += content.content().readableBytes();
            if (!guard.allowsBodySoFar(responseBodyBytes)) {
                content.release();
                errorCause = ErrorCause.REJECTED;
                RouteFilters routeFilters = filters;
                if (routeFilters != null) {
                    routeFilters.rejected(guard.reason());
                }
                if (dropPendingHead()) {
                    closeUpstream();
                    respond(guard.rejection().toResponse(ctx().alloc(), requestId), false);
                } else {
                    // The head is out: cutting both connections is the only way to say the body is incomplete.
                    abort();
                }
                return;
            }
        }
        bytesOut += content.content().readableBytes();
        writePendingHead();
        ChannelHandlerContext c = ctx();
        if (content instanceof LastHttpContent) {
            if (responseKeepAlive) {
                c.writeAndFlush(content, c.voidPromise());
            } else {
                c.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE);
            }
            Channel up = upstream();
            detachUpstream();
            if (upstreamReusable && requestDone && !instance().drainedNow().get()) {
                context.upstreams().release(up, instance());
            } else {
                up.close();
            }
            finishExchange();
            return;
        }
        c.write(content, c.voidPromise());
        if (!c.channel().isWritable()) {
            upstream().config().setAutoRead(false);
        }
    }

    /** Writes the held response head, if any; the client sees the response from here on. */
    private void writePendingHead() {
        HttpResponse head = pendingHead;
        if (head != null) {
            pendingHead = null;
            ctx().write(head, ctx().voidPromise());
        }
    }

    /** Forgets a response head nothing of which reached the client yet; false when there was none. */
    private boolean dropPendingHead() {
        HttpResponse head = pendingHead;
        if (head == null) {
            return false;
        }
        pendingHead = null;
        ReferenceCountUtil.release(head);
        responseStarted = false;
        return true;
    }

    void onUpstreamReadComplete() {
        writePendingHead();
        ctx().flush();
    }

    void onUpstreamWritabilityChanged(boolean writable) {
        if (active && !requestDone) {
            ctx().channel().config().setAutoRead(writable);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel up = upstream;
        if (up != null) {
            up.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    void onUpstreamClosed() {
        upstream = null;
        backend = null;
        if (!active) {
            return;
        }
        if (dropPendingHead()) {
            // The body was cut off before any of it (or the head) reached the client.
            endAttempt(FAILED);
            errorCause = ErrorCause.UPSTREAM_PROTOCOL;
            respondError(HttpResponseStatus.BAD_GATEWAY, "upstream " + instance().label() + " closed the connection mid-response", false);
            return;
        }
        if (!responseStarted && canRetry()) {
            // A pooled connection the upstream had already closed: nothing reached it, try a fresh one.
            retried = true;
            cancelResponseTimeout();
            acquireUpstream(true);
            return;
        }
        if (!responseStarted) {
            endAttempt(FAILED);
            if (retryAfterFailure()) {
                return;
            }
            errorCause = ErrorCause.UPSTREAM_PROTOCOL;
            respondError(HttpResponseStatus.BAD_GATEWAY, "upstream " + instance().label() + " closed the connection before responding", false);
        } else {
            abort();
        }
    }

    void onUpstreamFailure(Throwable cause) {
        if (cause instanceof IOException) {
            onUpstreamClosed();
            return;
        }
        // Not the network: a bug while relaying. The client gets a 500, not a misleading 502.
        LOG.error("request {} failed while relaying the upstream response to {}", requestId, ctx().channel(), cause);
        upstream = null;
        backend = null;
        if (!active) {
            return;
        }
        if (responseStarted) {
            abort();
        } else {
            endAttempt(RELEASED);
            respondError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal gateway error", true);
        }
    }

    void onUpstreamIdle() {
        if (!responseStarted) {
            closeUpstream();
            endAttempt(FAILED);
            if (retryAfterFailure()) {
                return;
            }
            errorCause = ErrorCause.UPSTREAM_TIMEOUT;
            respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream " + instance().label() + " went idle", false);
        } else {
            abort();
        }
    }

    private void onResponseTimeout() {
        responseTimer = null;
        if (!awaitingResponse) {
            return;
        }
        long remaining = responseDeadline - System.nanoTime();
        if (remaining > 0) {
            scheduleResponseTimer(remaining);
            return;
        }
        awaitingResponse = false;
        answerResponseTimeout();
    }

    private void answerResponseTimeout() {
        if (active && !responseStarted) {
            closeUpstream();
            endAttempt(FAILED);
            if (retryAfterFailure()) {
                return;
            }
            errorCause = ErrorCause.UPSTREAM_TIMEOUT;
            respondError(HttpResponseStatus.GATEWAY_TIMEOUT,
                    "upstream " + instance().label() + " did not respond within " + route().perTryTimeoutMillis() + "ms", false);
        }
    }

    private boolean canRetry() {
        return upstreamReused && !retried && requestDone && bytesIn == 0 && isIdempotent(method);
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.PUT
                || m == HttpMethod.DELETE || m == HttpMethod.TRACE;
    }

    private void armResponseTimeout() {
        if (awaitingResponse || responseStarted) {
            return;
        }
        long timeout = TimeUnit.MILLISECONDS.toNanos(route().perTryTimeoutMillis());
        awaitingResponse = true;
        responseDeadline = System.nanoTime() + timeout;
        ScheduledFuture<?> timer = responseTimer;
        if (timer != null && responseTimerDue - responseDeadline > 0) {
            // Armed by a route with a longer timeout: it would fire too late for this one.
            timer.cancel(false);
            timer = null;
        }
        if (timer == null) {
            scheduleResponseTimer(timeout);
        }
    }

    private void scheduleResponseTimer(long delayNanos) {
        responseTimerDue = System.nanoTime() + delayNanos;
        responseTimer = ctx().executor().schedule(responseTimeoutTask, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelResponseTimeout() {
        awaitingResponse = false;
    }

    /** A decode failure that reached this handler (normally the framing guard turns it into a rejection first). */
    private void onDecodeFailure(Throwable cause) {
        onRejected(RequestFramingGuardHandler.decodeFailure(cause));
    }

    /** The request's framing or syntax cannot be trusted: answer it (in order) and close the connection. */
    private void onRejected(RequestRejection rejection) {
        if (active && responseStarted) {
            abort();
            return;
        }
        if (!active) {
            active = true;
            startNanos = System.nanoTime();
            startMillis = System.currentTimeMillis();
            snapshot = context.snapshots().get();
            requestId = RequestIds.generate();
        }
        closeUpstream();
        respondError(rejection.status(), rejection.message(), true);
    }

    /** The route's body limit, or the listener's when the route sets none. */
    private long maxBodyBytes(ProxyRoute r) {
        return r.maxBodyBytes() == Long.MAX_VALUE ? listenerMaxBodyBytes : r.maxBodyBytes();
    }

    private FullHttpResponse errorResponse(HttpResponseStatus status, String message) {
        return ErrorEnvelope.create(ctx().alloc(), status, message, requestId);
    }

    private void respondError(HttpResponseStatus status, String message, boolean close) {
        respond(errorResponse(status, message), close);
    }

    /** Sends a response the gateway made itself and ends the exchange; takes ownership of it. */
    private void respond(FullHttpResponse response, boolean close) {
        if (responseStarted) {
            response.release();
            abort();
            return;
        }
        closeUpstream();
        responseStarted = true;
        status = response.status().code();
        bytesOut = response.content().readableBytes();
        boolean closeAfter = close || !clientKeepAlive || draining;
        responseKeepAlive = !closeAfter;
        runResponseFilters(response);
        if (closeAfter) {
            HttpUtil.setKeepAlive(response, false);
        }
        ChannelFuture written = ctx().writeAndFlush(response);
        if (closeAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        if (!requestDone) {
            discardingBody = true;
        }
        finishExchange();
    }

    /** The response phase of the filters that ran for this request (CORS headers on every answer, a 401 too). */
    private void runResponseFilters(HttpResponse response) {
        RouteFilters routeFilters = filters;
        if (routeFilters != null) {
            filterExchange.response(response.status().code(), response.headers());
            routeFilters.chain().onResponse(filterExchange);
        }
    }

    /** The response is already on its way and cannot be completed: cut both connections. */
    private void abort() {
        closeUpstream();
        // What was relayed so far still goes out, then the cut tells the client the body is incomplete.
        ctx().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (active) {
            finishExchange();
        }
    }

    private void closeUpstream() {
        cancelResponseTimeout();
        Channel pending = connecting;
        connecting = null;
        if (pending != null) {
            pending.close();
        }
        Channel up = upstream;
        if (up != null) {
            detachUpstream();
            up.close();
        }
        HttpContent body;
        while ((body = pendingBody.poll()) != null) {
            body.release();
        }
    }

    private void detachUpstream() {
        ProxyBackendHandler handler = backend;
        if (handler != null) {
            handler.detach();
        }
        backend = null;
        upstream = null;
    }

    private void finishExchange() {
        // An attempt still outstanding here says nothing about the upstream (the client left, a bug).
        endAttempt(RELEASED);
        long duration = System.nanoTime() - startNanos;
        GatewaySnapshot snap = snapshot;
        RouteMetrics m = metrics;
        if (m == null && snap != null) {
            // Requests answered before routing (400, 404, 405) count under the "unmatched" route.
            m = snap.unmatched();
            m.started();
        }
        if (m != null) {
            m.finished(method, status, duration);
        }
        ProxyRoute routed = route;
        RouteRecorder recorder = routed == null ? null : routed.recorder();
        if (recorder != null) {
            recorder.requestCompleted(status, duration);
            ErrorCause cause = errorCause;
            if (cause != null) {
                recorder.failed(cause);
            }
        }
        if (snap != null && snap.accessLogEnabled()) {
            ProxyRoute r = route;
            UpstreamInstance target = instance;
            context.accessLog().log(new AccessLog.Entry(startMillis, requestId, clientIp, method.name(), uri,
                    r == null ? "-" : r.id(), status, target == null ? "-" : target.label(), bytesIn, bytesOut, duration));
        }
        boolean keepAlive = responseKeepAlive;
        resetExchange();
        ChannelHandlerContext c = ctx();
        if (!keepAlive || !c.channel().isActive()) {
            // The response said Connection: close, the exchange was aborted, or the client left.
            return;
        }
        if (draining) {
            // Shutting down: close once everything written so far has gone out.
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        c.channel().config().setAutoRead(true);
        while (!pipelined.isEmpty() && !(active && requestDone)) {
            handle(pipelined.poll());
        }
    }

    private void resetExchange() {
        active = false;
        awaitingResponse = false;
        requestDone = false;
        responseStarted = false;
        responseKeepAlive = false;
        skipInterimResponse = false;
        upstreamReused = false;
        upstreamReusable = false;
        retried = false;
        upgradeRequested = false;
        permit = null;
        attempts = 0;
        errorCause = null;
        bytesIn = 0;
        bytesOut = 0;
        status = 0;
        requestId = "-";
        uri = "-";
        snapshot = null;
        metrics = null;
        route = null;
        instance = null;
        upstreamRequest = null;
        filters = null;
        pathParams = null;
        responseSizeGuard = null;
        responseBodyBytes = 0;
        if (pendingHead != null) {
            ReferenceCountUtil.release(pendingHead);
            pendingHead = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (!active) {
                ctx.close();
            }
            return;
        }
        if (evt == DRAIN) {
            draining = true;
            if (!active) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Object queued;
        while ((queued = pipelined.poll()) != null) {
            ReferenceCountUtil.release(queued);
        }
        if (active) {
            // The client went away mid-exchange; whatever the upstream was doing is abandoned.
            closeUpstream();
            finishExchange();
        }
        ScheduledFuture<?> timer = responseTimer;
        if (timer != null) {
            timer.cancel(false);
            responseTimer = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            ctx.close();
            return;
        }
        LOG.error("request {} failed on {}", requestId, ctx.channel(), cause);
        if (active && !responseStarted) {
            respondError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal gateway error", true);
        } else {
            ctx.close();
        }
    }

    /**
     * The Host header when it can be routed on, else null (missing, empty, or an IPv6 literal
     * without its closing bracket). Returned as received: the router ignores case and a ":port"
     * itself, so no string is cut here per request.
     */
    private static @Nullable String hostOf(@Nullable String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        if (hostHeader.charAt(0) == '[' && hostHeader.indexOf(']') < 0) {
            return null;
        }
        return hostHeader;
    }

    private ChannelHandlerContext ctx() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("handler not added to a pipeline");
        }
        return c;
    }

    private GatewaySnapshot snapshot() {
        GatewaySnapshot s = snapshot;
        if (s == null) {
            throw new IllegalStateException("no exchange in progress");
        }
        return s;
    }

    private ProxyRoute route() {
        ProxyRoute r = route;
        if (r == null) {
            throw new IllegalStateException("no route chosen");
        }
        return r;
    }

    private UpstreamInstance instance() {
        UpstreamInstance i = instance;
        if (i == null) {
            throw new IllegalStateException("no instance chosen");
        }
        return i;
    }

    private Channel upstream() {
        Channel up = upstream;
        if (up == null) {
            throw new IllegalStateException("no upstream connection");
        }
        return up;
    }

    private HttpRequest upstreamRequest() {
        HttpRequest r = upstreamRequest;
        if (r == null) {
            throw new IllegalStateException("no upstream request");
        }
        return r;
    }
}
