package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code slowhttptest} (installed by {@code .ci/run}) attacks the agent in slow-headers and
 * slow-body modes while a normal client keeps asking; skipped only when the binary is absent.
 */
class SlowHttpToolTest {

    private static final Path TOOL = Path.of("/usr/bin/slowhttptest");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

    private TestBackend app;
    private TestBackend sink;
    private TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(TOOL), "slowhttptest is not installed (apt-get install slowhttptest)");
        app = TestBackend.start("app");
        sink = TestBackend.start("sink");
        agent = TestAgent.start("""
                agent: {id: test-agent, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0, limits: {headerReadTimeout: 2s, bodyReadTimeout: 2s}}]
                metrics: {host: 127.0.0.1, port: 0}
                services:
                  - {name: app, instances: [{host: 127.0.0.1, port: %d}]}
                  - {name: sink, instances: [{host: 127.0.0.1, port: %d}]}
                routes:
                  - {id: attacked, match: {path: /attacked/*rest}, service: sink}
                  - {id: app, match: {path: /*rest}, service: app}
                """.formatted(app.port(), sink.port()));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (app != null) {
            app.close();
            sink.close();
        }
    }

    @Test
    void slowHeadersAreCutWhileANormalClientKeepsGettingAnswers(@TempDir Path dir) throws Exception {
        String output = attackWhileServing(dir, List.of("-H", "-t", "GET"));

        assertThat(output).doesNotContain("service available: NO");
        assertThat(refused("header_timeout")).isPositive();
    }

    @Test
    void slowBodiesAreCutWhileANormalClientKeepsGettingAnswers(@TempDir Path dir) throws Exception {
        String output = attackWhileServing(dir, List.of("-B", "-t", "POST", "-s", "8192"));

        assertThat(output).doesNotContain("service available: NO");
        assertThat(refused("body_timeout")).isPositive();
    }

    /** Runs the tool for about ten seconds; meanwhile every normal request must be answered with 200. */
    private String attackWhileServing(Path dir, List<String> mode) throws Exception {
        Path log = dir.resolve("slowhttptest.out");
        List<String> command = new java.util.ArrayList<>(List.of(TOOL.toString()));
        command.addAll(mode);
        command.addAll(List.of("-c", "200", "-r", "100", "-i", "3", "-x", "10", "-p", "3", "-l", "10",
                "-u", "http://127.0.0.1:" + agent.port() + "/attacked/target"));
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        int answered = 0;
        try {
            while (tool.isAlive()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(agent.uri("/normal/" + answered)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).startsWith("app GET /normal/");
                answered++;
            }
            assertThat(tool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            tool.destroyForcibly();
        }
        assertThat(answered).as("normal requests answered during the attack").isPositive();
        return ANSI.matcher(Files.readString(log, StandardCharsets.UTF_8)).replaceAll("").replaceAll("[ \t]+", " ");
    }

    private double refused(String reason) {
        String line = agent.runtime().metrics().scrape().lines()
                .filter(l -> l.startsWith("sluice_requests_refused_total{reason=\"" + reason + "\"}"))
                .findFirst().orElse("x 0");
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
