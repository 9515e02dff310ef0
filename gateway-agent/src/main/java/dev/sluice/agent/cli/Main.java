package dev.sluice.agent.cli;

import dev.sluice.agent.cli.ctl.CtlCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code sluice-agent.jar}. Exit codes of run/validate: 0 success, 1 failure to
 * start, 2 invalid configuration (every violation is printed with its field path); {@code ctl} has
 * its own (see {@link dev.sluice.agent.cli.ctl.CtlExit}).
 */
@Command(name = "sluice-agent",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Sluice gateway agent: a reverse proxy SREs can watch and steer.",
        subcommands = {RunCommand.class, ValidateCommand.class, CtlCommand.class})
public final class Main implements Runnable {

    static final int EXIT_START_FAILED = 1;
    static final int EXIT_INVALID_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, so tests can run it with their own output streams. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version the jar was built as (manifest Implementation-Version), or "dev" outside a jar. */
    public static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice-agent " + version()};
        }
    }
}
