package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.runtime.RouteResolverFactory;
import dev.sluice.agent.testing.TestRouting;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.ScriptedBackend;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upstream failures become 502/504 envelopes; a bug in a handler becomes a 500 and harms nothing else. */
class ProxyFailureTest {

    private static TestBackend backend;
    private static ScriptedBackend scripted;
    private static TestAgent agent;
    private static int deadPort;

    /** Routing whose lookup throws for /boom, standing in for any unexpected handler failure. */
    private static final RouteResolverFactory EXPLODING = (configs, routes) -> {
        RouteResolver real = TestRouting.FACTORY.build(configs, routes);
        return new RouteResolver() {
            @Override
            public @Nullable String normalize(String rawPath) {
                return real.normalize(rawPath);
            }

            @Override
            public Resolution resolve(String host, String method, String normalizedPath) {
                if (normalizedPath.equals("/boom")) {
                    throw new IllegalStateException("simulated bug");
                }
                return real.resolve(host, method, normalizedPath);
            }
        };
    };

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("slow");
        scripted = new ScriptedBackend();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        agent = TestAgent.start(TestAgent.config("""
                services:
                  - name: dead
                    instances: [{host: 127.0.0.1, port: %d}]
                  - name: slow
                    responseTimeout: 10s
                    instances: [{host: 127.0.0.1, port: %d}]
                  - name: sleepy
                    responseTimeout: 10s
                    idleTimeout: 300ms
                    instances: [{host: 127.0.0.1, port: %d}]
                  - name: scripted
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: dead, match: {path: /dead}, service: dead}
                  - {id: slow, match: {path: /slow}, service: slow, responseTimeout: 300ms}
                  - {id: idle, match: {path: /idle}, service: sleepy, rewritePath: /slow}
                  - {id: ok, match: {path: /ok}, service: slow}
                  - {id: stale, match: {path: /stale}, service: scripted}
                """.formatted(deadPort, backend.port(), backend.port(), scripted.port())),
                Duration.ofSeconds(1), EXPLODING);
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        backend.close();
        scripted.close();
    }

    @Test
    void answers502WhenTheUpstreamRefusesConnections() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /dead HTTP/1.1\r\nHost: gw\r\nX-Request-Id: r-502\r\n\r\n");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.body()).isEqualTo(
                    "{\"code\":502,\"message\":\"cannot connect to upstream 127.0.0.1:" + deadPort + "\",\"requestId\":\"r-502\"}");
        }
    }

    @Test
    void answers504WhenTheUpstreamSendsNoResponseInTime() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /slow?ms=5000 HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.body()).contains("did not respond within 300ms");
            // The connection stays usable for the next request.
            assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void answers504WhenTheUpstreamConnectionGoesIdle() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /idle?ms=5000 HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.body()).contains("went idle");
        }
    }

    @Test
    void retriesAnIdempotentRequestOnceWhenAPooledConnectionTurnsOutClosed() throws Exception {
        int connectionsBefore = scripted.connections();
        try (RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /stale HTTP/1.1\r\nHost: gw\r\n\r\n").body()).isEqualTo("ok");
            // The pooled connection is reused and the backend drops it: the gateway retries on a new one.
            assertThat(raw.exchange("GET /stale HTTP/1.1\r\nHost: gw\r\n\r\n").body()).isEqualTo("ok");
        }
        assertThat(scripted.connections() - connectionsBefore).isEqualTo(2);
    }

    @Test
    void doesNotRetryANonIdempotentRequest() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /stale HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            RawHttp.Response post = raw.exchange("POST /stale HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n");

            assertThat(post.status()).isEqualTo(502);
            assertThat(post.body()).contains("closed the connection before responding");
        }
    }

    @Test
    void turnsAnUnexpectedHandlerExceptionInto500AndKeepsServing() throws Exception {
        try (RawHttp raw = new RawHttp(agent.port())) {
            RawHttp.Response response = raw.exchange("GET /boom HTTP/1.1\r\nHost: gw\r\nX-Request-Id: r-boom\r\n\r\n");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"code\":500,\"message\":\"internal gateway error\",\"requestId\":\"r-boom\"}");
        }
        for (int i = 0; i < 4; i++) {
            try (RawHttp raw = new RawHttp(agent.port())) {
                assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }
}
