package dev.sluice.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validateExitsZeroWithASummaryForAValidFile() {
        int code = run("validate", "--config", Path.of("..", "examples", "gateway.yaml").toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("is valid: 1 listener(s), 1 service(s), 2 route(s)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validatePrintsEveryViolationWithItsPathAndExitsTwo() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                listeners: [{port: 8080}]
                services:
                  - name: users
                    instances: [{host: 127.0.0.1, port: 0}]
                routes:
                  - id: r1
                    match: {path: /a}
                    service: billing
                    timeout: 2s
                  - id: r2
                    match: {path: /users/:id}
                    service: users
                  - id: r3
                    match: {path: /users/:userId}
                    service: users
                """);

        int code = run("validate", "--config", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("bad.yaml is invalid: 4 problem(s)")
                .contains("  services[0].instances[0].port: must be between 1 and 65535")
                .contains("  routes[0].timeout: unknown field 'timeout'")
                .contains("  routes[0].service: unknown service 'billing'")
                .containsPattern("  routes\\[2]\\.match\\.path: .*':userId'.*");
    }

    @Test
    void validateReportsAMissingFileAsAnInvalidConfig() {
        int code = run("validate", "--config", dir.resolve("absent.yaml").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
    }

    @Test
    void runExitsOneNamingTheAddressWhenAListenerCannotBind() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("busy.yaml");
            Files.writeString(file, """
                    listeners: [{name: public, host: 127.0.0.1, port: %d}]
                    services: [{name: a, instances: [{host: 127.0.0.1, port: 9}]}]
                    routes: [{id: a, match: {path: /x}, service: a}]
                    """.formatted(busy.getLocalPort()));

            int code = run("run", "--config", file.toString(), "--no-watch");

            assertThat(code).isEqualTo(1);
        }
    }

    @Test
    void runRefusesAnInvalidConfigWithExitTwo() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "listeners: [{port: 99999}]\n");

        int code = run("run", "--config", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("listeners[0].port: must be between 0 and 65535");
    }

    @Test
    void printsTheVersion() {
        int code = run("--version");

        assertThat(code).isZero();
        assertThat(out.toString().trim()).isEqualTo("sluice-agent dev");
    }
}
