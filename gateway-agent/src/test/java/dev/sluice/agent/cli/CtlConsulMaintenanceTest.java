package dev.sluice.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.admin.AdminTestAgent;
import dev.sluice.agent.cli.ctl.CtlExit;
import dev.sluice.agent.control.GatewayState;
import dev.sluice.agent.testing.ConsulStandIn;
import dev.sluice.agent.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ctl drain --consul-maintenance} end to end: ctl over real gRPC to a real agent whose service
 * comes from Consul. No Consul server can be installed on these machines, so {@link ConsulStandIn}
 * plays the Consul agent, following its documented HTTP API (health endpoint, blocking queries, the
 * service maintenance endpoint).
 */
class CtlConsulMaintenanceTest {

    private static final Duration CEILING = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<TestBackend> backends = new ArrayList<>();
    private ConsulStandIn consul;
    private AdminTestAgent agent;
    private Path operatorToken;


    @BeforeEach
    void start() throws Exception {
        consul = new ConsulStandIn();
        for (int i = 1; i <= 3; i++) {
            TestBackend backend = TestBackend.start("b" + i);
            backends.add(backend);
            consul.register("users", "b" + i, "127.0.0.1", backend.port(), List.of(), Map.of());
        }
        agent = AdminTestAgent.start(dir, """
                agent: {id: ctl-agent, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0}]
                registry: {type: consul, address: "%s", retryInitial: 50ms, retryMax: 300ms, waitTime: 10s}
                services:
                  - name: users
                    discovery: consul
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """.formatted(consul.address()) + AdminTestAgent.adminBlock());
        operatorToken = Files.writeString(dir.resolve("operator.token"), AdminTestAgent.OPERATOR + "\n");
        await().atMost(CEILING).until(() -> users().instances().size() == 3);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        consul.close();
        backends.forEach(TestBackend::close);
    }

    private GatewayState.ServiceState users() {
        return agent.runtime().control().state().services().stream()
                .filter(s -> s.config().name().equals("users")).findFirst().orElseThrow();
    }

    private CtlRun ctl(String... args) {
        return CtlRun.ctl(agent.adminPort(), operatorToken, args);
    }

    @Test
    void drainWithConsulMaintenanceSetsItAndUndrainAfterARestartClearsIt() throws Exception {
        CtlRun drain = ctl("drain", "users/b2", "--ttl", "10m", "--consul-maintenance", "--reason", "disk full");

        assertThat(drain.exit()).as(drain.err()).isEqualTo(CtlExit.OK);
        assertThat(consul.maintenanceReason("users", "b2")).isEqualTo("drained in sluice by olivia: disk full");

        agent.stop();
        agent.startAgain();
        CtlRun undrain = ctl("undrain", "users/b2", "--reason", "disk replaced");

        assertThat(undrain.exit()).as(undrain.err()).isEqualTo(CtlExit.OK);
        assertThat(consul.maintenanceReason("users", "b2")).isNull();
    }

    @Test
    void drainWithoutTheFlagLeavesConsulAlone() {
        CtlRun drain = ctl("drain", "users/b2", "--ttl", "10m", "--reason", "disk full");

        assertThat(drain.exit()).as(drain.err()).isEqualTo(CtlExit.OK);
        assertThat(consul.maintenanceReason("users", "b2")).isNull();
    }

    @Test
    void theDrainHelpNamesTheFlag() {
        String help = Main.commandLine().getSubcommands().get("ctl").getSubcommands().get("drain").getUsageMessage();

        assertThat(help.replaceAll("\\s+", " ")).contains("--consul-maintenance").contains("Consul maintenance mode");
    }
}
