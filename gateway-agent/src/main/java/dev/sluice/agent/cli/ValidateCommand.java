package dev.sluice.agent.cli;

import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code validate --config FILE}: checks a file exactly as {@code run} and a reload would. */
@Command(name = "validate", description = "Check a configuration file and print every problem with its field path.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML configuration file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigResult result = ConfigLoader.load(config);
        if (!result.ok()) {
            printViolations(spec.commandLine().getErr(), config, result);
            return Main.EXIT_INVALID_CONFIG;
        }
        GatewayConfig valid = result.orThrow();
        spec.commandLine().getOut().printf("%s is valid: %d listener(s), %d service(s), %d route(s)%n",
                config, valid.listeners().size(), valid.services().size(), valid.routes().size());
        return 0;
    }

    static void printViolations(PrintWriter err, Path file, ConfigResult result) {
        err.printf("%s is invalid: %d problem(s)%n", file, result.violations().size());
        for (Violation violation : result.violations()) {
            err.printf("  %s%n", violation);
        }
        err.flush();
    }
}
