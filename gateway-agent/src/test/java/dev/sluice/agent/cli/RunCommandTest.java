package dev.sluice.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.TestBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice-agent run} as a real process: startup lines, SIGHUP reload, SIGTERM shutdown. */
class RunCommandTest {

    private static final Pattern LISTENING = Pattern.compile("proxy listener 'public' accepting HTTP/1.1 on 127.0.0.1:(\\d+)");

    @TempDir
    Path dir;

    private final StringBuffer output = new StringBuffer();
    private Thread reader;

    private String config(TestBackend backend) {
        return """
                agent: {id: cli-test, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0}]
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: app, match: {path: /*rest}, service: app}
                """.formatted(backend.port());
    }

    /**
     * Starts {@code sluice-agent run --config file} as its own process; a daemon thread copies its
     * output into {@link #output} until the process ends.
     */
    private Process run(Path file) throws java.io.IOException {
        URL logback = Objects.requireNonNull(RunCommandTest.class.getResource("/logback.xml"));
        Process agent = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", file.toString(), "--no-watch", "--workers", "1")
                .redirectErrorStream(true)
                .start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (java.io.IOException e) {
                output.append("reader stopped: ").append(e).append('\n');
            }
        });
        reader.setDaemon(true);
        reader.start();
        return agent;
    }

    /** SIGTERM by hand (Process.destroy() would also close the output we are reading); waits for the end. */
    private void terminate(Process agent) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(5_000);
    }

    @Test
    void startsTheAdminListenerThatCtlReachesAndStopsItOnSigterm() throws Exception {
        try (TestBackend blue = TestBackend.start("blue")) {
            Path file = dir.resolve("gateway.yaml");
            Files.writeString(file, config(blue) + """
                    admin:
                      host: 127.0.0.1
                      port: 0
                      tokens: [{name: vera, sha256: %s, role: viewer}]
                    """.formatted(dev.sluice.agent.admin.auth.TokenHashes.hash("run-test-viewer-token")));
            Path token = Files.writeString(dir.resolve("viewer.token"), "run-test-viewer-token");
            Process agent = run(file);
            Pattern admin = Pattern.compile("admin listener serving gRPC \\(plaintext\\) on 127.0.0.1:(\\d+)");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> admin.matcher(output).find());
                Matcher m = admin.matcher(output);
                assertThat(m.find()).isTrue();
                CtlRun status = CtlRun.ctl(Integer.parseInt(m.group(1)), token, "status");
                assertThat(status.exit()).isZero();
                assertThat(status.out()).contains("cli-test (cluster test)").contains("vera, viewer");

                terminate(agent);
                assertThat(output.toString()).contains("agent stopped");
                assertThat(Files.exists(dir.resolve("gateway.audit.log"))).isTrue();
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    @Test
    void servesReloadsOnSighupAndDrainsOnSigterm() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (TestBackend blue = TestBackend.start("blue"); TestBackend green = TestBackend.start("green")) {
            Path file = dir.resolve("gateway.yaml");
            Files.writeString(file, config(blue));
            Process agent = run(file);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> LISTENING.matcher(output).find());
                Matcher m = LISTENING.matcher(output);
                assertThat(m.find()).isTrue();
                URI uri = URI.create("http://127.0.0.1:" + m.group(1) + "/hello");
                assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .startsWith("blue");

                Files.writeString(file, config(green));
                new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor();

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
                                .startsWith("green"));
                terminate(agent);
                assertThat(output.toString())
                        .contains("sluice agent 'cli-test' (cluster 'test') starting with config version 1")
                        .contains("SIGHUP received; reloading the config")
                        .contains("config version 2 applied from " + file)
                        .contains("stopped accepting connections")
                        .contains("agent stopped");
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
