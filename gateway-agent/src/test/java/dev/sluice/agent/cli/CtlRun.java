package dev.sluice.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** What one in-process {@code sluice-agent ctl} run printed and the exit code it returned. */
record CtlRun(int exit, String out, String err) {

    /** Runs {@code ctl --target 127.0.0.1:<adminPort> --plaintext --token-file <token> <args>}. */
    static CtlRun ctl(int adminPort, Path token, String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "--target", "127.0.0.1:" + adminPort, "--plaintext",
                "--token-file", token.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(all.toArray(String[]::new));
        return new CtlRun(exit, out.toString(), err.toString());
    }
}
