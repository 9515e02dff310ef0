package dev.sluice.agent.cli;

import dev.sluice.agent.admin.AgentAdmin;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.RouterResolverFactory;
import dev.sluice.agent.runtime.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run --config FILE}: serves traffic until SIGTERM/SIGINT, reloading on change or SIGHUP; with an
 * {@code admin:} block, the admin gRPC server too (started after the proxy, stopped before it).
 */
@Command(name = "run", description = "Start the gateway agent with a configuration file.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML configuration file")
    Path config;

    @Option(names = "--drain-timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "how long shutdown waits for in-flight requests (default: ${DEFAULT-VALUE})")
    String drainTimeout;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N",
            description = "event loop threads; 0 = one per CPU core (default)")
    int workers;

    @Option(names = "--no-watch", description = "do not reload when the file changes (SIGHUP still reloads)")
    boolean noWatch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration drain = dev.sluice.agent.config.Durations.parse(drainTimeout);
        if (drain == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--drain-timeout: '" + drainTimeout + "' is not a duration (500ms, 2s, 1m)");
        }
        ConfigResult result = ConfigLoader.load(config);
        if (!result.ok()) {
            ValidateCommand.printViolations(spec.commandLine().getErr(), config, result);
            return Main.EXIT_INVALID_CONFIG;
        }
        int threads = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        LOG.info("sluice-agent {} (Java {}), config {}", Main.version(), Runtime.version(), config.toAbsolutePath());
        GatewayRuntime runtime;
        try {
            runtime = GatewayRuntime.start(result.orThrow(), new GatewayRuntime.Options(
                    config, new RouterResolverFactory(), Transport.best(), threads,
                    noWatch ? Duration.ZERO : Duration.ofSeconds(1)));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Typically a listener address in use or not local; the message names it.
            LOG.error("cannot start: {}", e.getMessage());
            return Main.EXIT_START_FAILED;
        }
        AgentAdmin admin;
        try {
            admin = AdminStartup.start(runtime, result.orThrow(), config, Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot start the admin listener: {}", e.getMessage());
            runtime.shutdown(Duration.ZERO);
            return Main.EXIT_START_FAILED;
        }
        if (admin != null) {
            LOG.info("admin listener serving gRPC ({}) on {}:{}", admin.isTls() ? "TLS" : "plaintext",
                    admin.address().getHostString(), admin.port());
        }
        HangupSignal.install(runtime::reloadFromFile);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The admin side first: no change may arrive while the proxy drains.
            if (admin != null) {
                admin.close();
            }
            runtime.shutdown(drain);
            stopped.countDown();
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }
}
