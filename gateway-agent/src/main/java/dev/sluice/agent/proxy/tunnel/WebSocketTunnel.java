package dev.sluice.agent.proxy.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Turns an HTTP/1.1 exchange that upgraded to WebSocket into a byte tunnel: the upstream's {@code 101}
 * goes to the client, then both pipelines lose their HTTP handlers and get a {@link
 * TunnelRelayHandler} each, which copy bytes unchanged both ways and close both connections together.
 * Idle handlers stay in front, so the listener's (and the service's) idle timeout still ends a silent
 * tunnel. Call on the client connection's event loop, which the upstream connection shares.
 */
public final class WebSocketTunnel {

    private WebSocketTunnel() {}

    /** Whether a client request asks for a WebSocket upgrade (GET, {@code Connection: upgrade}, {@code Upgrade: websocket}). */
    public static boolean isUpgradeRequest(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.method().equals(HttpMethod.GET)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Puts the upgrade headers back on a message whose hop-by-hop headers were removed. */
    public static void restoreUpgradeHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }

    /**
     * Relays {@code switching} (the upstream's 101, ownership taken) to the client and splices the two
     * connections.
     *
     * @param firstHttpHandler the name of the client pipeline's first HTTP handler (its codec): it and
     *     every handler after it are removed; handlers before it (idle, TLS) stay
     * @param upstreamCodec the name of the upstream pipeline's HTTP codec: it and every handler after it
     *     are removed
     */
    public static void open(Channel client, String firstHttpHandler, Channel upstream, String upstreamCodec,
            HttpResponse switching) {
        // Written through the HTTP encoder while it is still there; the EMPTY last content resets it.
        client.write(switching, client.voidPromise());
        client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, client.voidPromise());
        splice(client.pipeline(), firstHttpHandler, new TunnelRelayHandler(upstream));
        splice(upstream.pipeline(), upstreamCodec, new TunnelRelayHandler(client));
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }

    /**
     * Adds the relay last, then removes {@code from} and everything between it and the relay, last
     * first, so bytes a removed decoder still held (a frame that arrived with the 101) reach the relay.
     */
    private static void splice(ChannelPipeline pipeline, String from, TunnelRelayHandler relay) {
        List<String> names = pipeline.names();
        int first = names.indexOf(from);
        pipeline.addLast("tunnel", relay);
        for (int i = names.size() - 1; i >= first && first >= 0; i--) {
            if (pipeline.context(names.get(i)) != null) {
                pipeline.remove(names.get(i));
            }
        }
    }
}
