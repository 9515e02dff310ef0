package dev.sluice.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.agent.admin.AdminTestAgent;
import dev.sluice.agent.cli.ctl.CtlExit;
import dev.sluice.agent.telemetry.RouteFilter;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.export.IncidentExportReader;
import dev.sluice.export.v1.Incident;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice-agent ctl} end to end against a real agent: each command, its JSON and its exit codes. */
class CtlCommandTest {

    @TempDir
    static Path dir;

    private static TestBackend users;
    private static AdminTestAgent agent;
    private static Path operatorToken;
    private static Path viewerToken;


    @BeforeAll
    static void start() throws Exception {
        users = TestBackend.start("users");
        agent = AdminTestAgent.start(dir, """
                agent: {id: ctl-agent, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0}]
                services:
                  - name: users
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """.formatted(users.port()) + AdminTestAgent.adminBlock());
        operatorToken = Files.writeString(dir.resolve("operator.token"), AdminTestAgent.OPERATOR + "\n");
        viewerToken = Files.writeString(dir.resolve("viewer.token"), AdminTestAgent.VIEWER);
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        users.close();
    }

    private static CtlRun ctl(Path token, String... args) {
        return CtlRun.ctl(agent.adminPort(), token, args);
    }

    @Test
    void statusShowsTheAgentAndTheCaller() {
        CtlRun run = ctl(viewerToken, "status");

        assertThat(run.exit()).isEqualTo(CtlExit.OK);
        assertThat(run.out()).contains("ctl-agent (cluster test)").contains("vera, viewer")
                .contains("127.0.0.1:" + agent.adminPort());
    }

    @Test
    void tripPrintsTheResultAsJsonAndBreakersShowTheOverride() throws Exception {
        CtlRun trip = ctl(operatorToken, "--output", "json", "trip", "users", "--ttl", "30m", "--reason", "ctl test");
        CtlRun breakers = ctl(viewerToken, "breakers");
        CtlRun json = ctl(viewerToken, "-o", "json", "breakers");
        CtlRun reset = ctl(operatorToken, "reset", "users", "--reason", "done");

        assertThat(trip.exit()).isEqualTo(CtlExit.OK);
        ChangeResult.Builder result = ChangeResult.newBuilder();
        JsonFormat.parser().merge(trip.out(), result);
        assertThat(result.getAuditEntryId()).startsWith("a-");
        assertThat(result.hasExpiresAt()).isTrue();
        assertThat(breakers.out()).containsPattern("users\\s+closed\\s+forced-open by olivia until");
        assertThat(json.out()).contains("\"override\": \"BREAKER_OVERRIDE_FORCED_OPEN\"")
                .contains("\"computedState\": \"BREAKER_STATE_CLOSED\"");
        assertThat(reset.exit()).isEqualTo(CtlExit.OK);
        assertThat(reset.out()).startsWith("reset: applied, config version");
    }

    @Test
    void routesInstancesEventsAndAuditRead() {
        ctl(operatorToken, "set-limit", "users", "--rate", "50", "--burst", "100", "--ttl", "10m", "--reason", "cap");

        assertThat(ctl(viewerToken, "routes").out()).containsPattern("users\\s+\\*\\s+/users\\s+\\*\\s+users\\s+50.0/s burst 100");
        assertThat(ctl(viewerToken, "instances").out()).contains("127.0.0.1:" + users.port()).contains("yes");
        assertThat(ctl(viewerToken, "events").out()).contains("audit");
        CtlRun audit = ctl(viewerToken, "audit", "--limit", "1");
        assertThat(audit.exit()).isEqualTo(CtlExit.OK);
        assertThat(audit.out()).contains("SetRateLimit").contains("route:users").contains("applied").contains("cap");
        assertThat(ctl(viewerToken, "-o", "json", "audit", "--limit", "1").out()).contains("\"rpc\": \"SetRateLimit\"");
    }

    @Test
    void exitCodesTellRefusalInvalidInputConflictAndNotFoundApart() {
        assertThat(ctl(viewerToken, "trip", "users", "--ttl", "1m", "--reason", "x").exit()).isEqualTo(CtlExit.REFUSED);
        assertThat(ctl(operatorToken, "trip", "users", "--reason", "forever").exit()).isEqualTo(CtlExit.REFUSED);
        assertThat(ctl(operatorToken, "trip", "users", "--ttl", "100h", "--reason", "x").exit()).isEqualTo(CtlExit.INVALID);
        assertThat(ctl(operatorToken, "trip", "users", "--ttl", "soon", "--reason", "x").exit()).isEqualTo(CtlExit.INVALID);
        assertThat(ctl(operatorToken, "trip", "users", "--ttl", "1m").exit()).isEqualTo(CtlExit.INVALID);
        assertThat(ctl(operatorToken, "trip", "users", "--ttl", "1m", "--reason", "x", "--expected-version", "999")
                .exit()).isEqualTo(CtlExit.CONFLICT);
        assertThat(ctl(operatorToken, "trip", "nobody", "--ttl", "1m", "--reason", "x").exit()).isEqualTo(CtlExit.NOT_FOUND);
        assertThat(ctl(operatorToken, "revert", "a-999999", "--reason", "x").exit()).isEqualTo(CtlExit.NOT_FOUND);
        assertThat(ctl(operatorToken, "drain", "no-slash", "--reason", "x").exit()).isEqualTo(CtlExit.INVALID);
    }

    @Test
    void exportSavesTheWindowAsAFileTheReaderReadsBack() throws Exception {
        ctl(operatorToken, "trip", "users", "--ttl", "10m", "--reason", "export test");
        ctl(operatorToken, "reset", "users", "--reason", "export done");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + agent.proxyPort() + "/users")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        // A history point is kept once its 10 s step has ended.
        await().atMost(java.time.Duration.ofSeconds(40)).until(() -> requestsInHistory(
                agent.runtime().telemetry().history().read(null, null, RouteFilter.ALL)) >= 5);
        Path file = dir.resolve("inc-1.sluice-incident.zip");

        CtlRun run = ctl(viewerToken, "export", "--last", "30m", "--output", file.toString(), "--incident", "INC-1");

        assertThat(run.exit()).as(run.err()).isEqualTo(CtlExit.OK);
        assertThat(run.out()).startsWith("wrote " + file);
        Incident incident = IncidentExportReader.read(file).document();
        assertThat(incident.getFormatVersion()).isEqualTo(1);
        assertThat(incident.getIncidentId()).isEqualTo("INC-1");
        assertThat(incident.getAgent().getAgentId()).isEqualTo("ctl-agent");
        assertThat(incident.getWindow().getTo().getSeconds() - incident.getWindow().getFrom().getSeconds())
                .isEqualTo(1800);
        assertThat(incident.getAuditEntriesList()).extracting(e -> e.getReason())
                .contains("export test", "export done");
        assertThat(incident.getEventsList()).extracting(e -> e.getKind())
                .contains(dev.sluice.admin.v1.EventKind.EVENT_KIND_AUDIT);
        assertThat(incident.getSnapshotAtEnd().getRoutesList()).extracting(r -> r.getId()).contains("users");
        assertThat(incident.getHistory().getResolution().getSeconds()).isEqualTo(10);
        assertThat(incident.getHistory().getRoutesList()).filteredOn(r -> r.getRouteId().equals("users"))
                .singleElement().satisfies(r -> assertThat(r.getPointsList().stream()
                        .mapToLong(p -> p.getRequests()).sum()).isEqualTo(5));
    }

    @Test
    void exportWithoutAWindowOrWithTwoIsInvalidInput() {
        Path file = dir.resolve("never.zip");

        CtlRun none = ctl(viewerToken, "export", "--output", file.toString());
        CtlRun both = ctl(viewerToken, "export", "--last", "5m", "--from", "2026-11-25T14:00:00Z", "--output", file.toString());
        CtlRun badTime = ctl(viewerToken, "export", "--from", "yesterday", "--output", file.toString());

        assertThat(none.exit()).isEqualTo(CtlExit.INVALID);
        assertThat(none.err()).contains("--last DURATION or --from TIME");
        assertThat(both.exit()).isEqualTo(CtlExit.INVALID);
        assertThat(badTime.err()).contains("not an ISO-8601 time");
        assertThat(file).doesNotExist();
    }

    private static long requestsInHistory(List<dev.sluice.agent.telemetry.RouteHistory> history) {
        return history.stream().filter(h -> h.routeId().equals("users"))
                .flatMap(h -> h.points().stream()).mapToLong(p -> p.requests()).sum();
    }

    @Test
    void anUnreachableAgentIsExitOne() {
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute("ctl", "--target", "127.0.0.1:1", "--plaintext", "--timeout", "2s",
                "--token-file", viewerToken.toString(), "status");

        assertThat(exit).isEqualTo(CtlExit.OTHER);
        assertThat(err.toString()).contains("unavailable");
    }

    @Test
    void revertRestoresTheStateBeforeAnEntry() {
        assertThat(ctl(operatorToken, "reset", "users", "--reason", "clean slate").exit()).isEqualTo(CtlExit.OK);
        CtlRun drain = ctl(operatorToken, "-o", "json", "trip", "users", "--ttl", "5m", "--reason", "to revert");
        String entry = drain.out().replaceAll("(?s).*\"auditEntryId\": \"(a-\\d+)\".*", "$1");

        CtlRun revert = ctl(operatorToken, "revert", entry, "--reason", "undo");

        assertThat(revert.exit()).isEqualTo(CtlExit.OK);
        assertThat(ctl(viewerToken, "breakers").out()).containsPattern("users\\s+closed\\s+none");
    }
}
