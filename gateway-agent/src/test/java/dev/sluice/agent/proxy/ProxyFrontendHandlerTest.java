package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ListenerLimits;
import dev.sluice.agent.runtime.GatewaySnapshot;
import dev.sluice.agent.runtime.SnapshotBuilder;
import dev.sluice.agent.telemetry.AccessLog;
import dev.sluice.agent.telemetry.GatewayMetrics;
import dev.sluice.agent.testing.TestRouting;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The frontend handler in isolation: answers it gives without ever contacting an upstream. */
class ProxyFrontendHandlerTest {

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final AccessLog accessLog = new AccessLog();
    private final GatewaySnapshot snapshot = new SnapshotBuilder(metrics, TestRouting.FACTORY).build(ConfigLoader.parse("""
            listeners: [{port: 0}]
            accessLog: {enabled: false}
            services: [{name: app, instances: [{host: 127.0.0.1, port: 9}]}]
            routes: [{id: app, match: {path: /app, methods: [GET]}, service: app}]
            """).orThrow(), 1);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new IdleStateHandler(0, 0, 1, TimeUnit.MINUTES),
            new RequestWireScanHandler(ListenerLimits.DEFAULTS.headerReadTimeout().toMillis(),
                    ListenerLimits.DEFAULTS.bodyReadTimeout().toMillis()),
            new HttpServerCodec(ListenerLimits.DEFAULTS.maxRequestLineLength(), ListenerLimits.DEFAULTS.maxHeaderSize(),
                    ProxyInitializer.MAX_CHUNK_SIZE),
            new RequestFramingGuardHandler(ListenerLimits.DEFAULTS.maxHeaderCount(), ProxyMeters.unregistered()),
            new ProxyFrontendHandler(new ProxyContext(() -> snapshot, new UpstreamPool(NioSocketChannel.class, metrics),
                    accessLog, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        accessLog.close();
        metrics.close();
    }

    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void answers431AndClosesWhenHeadersAreTooLarge() {
        String response = exchange("GET /app HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431 ").contains("\"code\":431").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answers414AndClosesWhenTheRequestLineIsTooLong() {
        String response = exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: gw\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 414 ");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answers400WhenAnHttp11RequestHasNoHost() {
        String response = exchange("GET /app HTTP/1.1\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ").contains("the Host header is missing or malformed");
    }

    @Test
    void keepsTheConnectionOpenAfterA404AndDiscardsTheUnreadBody() {
        String first = exchange("POST /nowhere HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhel");
        String second = exchange("lo" + "GET /other HTTP/1.1\r\nHost: gw\r\n\r\n");

        assertThat(first).startsWith("HTTP/1.1 404 ").contains("content-type: application/json");
        assertThat(second).startsWith("HTTP/1.1 404 ");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesAfterAnErrorWhenTheClientAskedToClose() {
        String response = exchange("GET /nowhere HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 404 ").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesAKeepAliveConnectionThatStaysIdle() {
        assertThat(exchange("GET /nowhere HTTP/1.1\r\nHost: gw\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(61, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }
}
