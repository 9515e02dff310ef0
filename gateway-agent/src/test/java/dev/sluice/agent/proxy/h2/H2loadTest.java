package dev.sluice.agent.proxy.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code h2load} (Debian's nghttp2-client, installed by .ci/run) drives many multiplexed streams
 * through the agent over h2c and over TLS with ALPN; every request must succeed. Nothing about speed
 * is asserted (bench/load measures that).
 */
class H2loadTest {

    @TempDir static Path dir;
    static TestBackend backend;
    static TestAgent agent;

    @BeforeAll
    static void start() {
        PemFiles server = CertificateFactory.newServer(CertificateFactory.newCa("h2load CA")).writeTo(dir, "server");
        try {
            backend = TestBackend.start("load");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        agent = TestAgent.start("""
                listeners:
                  - {name: plain, host: 127.0.0.1, port: 0}
                  - {name: secure, host: 127.0.0.1, port: 0,
                     tls: {certificates: [{certificateChain: %s, privateKey: %s}]}}
                services:
                  - {name: load, instances: [{host: 127.0.0.1, port: %d}]}
                routes:
                  - {id: all, match: {path: /*rest}, service: load}
                """.formatted(server.certificate(), server.privateKey(), backend.port()));
    }

    @AfterAll
    static void stop() {
        agent.close();
        backend.close();
    }

    private static String h2load(String url) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("h2load", "-n", "600", "-c", "4", "-m", "16", url)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("h2load is needed: apt-get install nghttp2-client", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("h2load finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void everyMultiplexedRequestSucceedsOverH2c() throws Exception {
        String output = h2load("http://127.0.0.1:" + agent.runtime().proxyAddresses().get(0).getPort() + "/h2c");

        assertThat(output).contains("Application protocol: h2c")
                .contains("requests: 600 total, 600 started, 600 done, 600 succeeded, 0 failed, 0 errored, 0 timeout")
                .contains("status codes: 600 2xx");
    }

    @Test
    void everyMultiplexedRequestSucceedsOverTlsWithAlpn() throws Exception {
        String output = h2load("https://127.0.0.1:" + agent.runtime().proxyAddresses().get(1).getPort() + "/tls");

        assertThat(output).contains("Application protocol: h2")
                .contains("requests: 600 total, 600 started, 600 done, 600 succeeded, 0 failed, 0 errored, 0 timeout")
                .contains("status codes: 600 2xx");
        assertThat(List.of(output.split("\n"))).anyMatch(line -> line.startsWith("TLS Protocol: TLSv1.3"));
    }
}
