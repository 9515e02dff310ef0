package dev.sluice.console;

import dev.sluice.console.connection.GatewayTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The console's command line: {@code --demo} (the default with no target), {@code --target
 * host:port} with an optional {@code --token} (or the SLUICE_TOKEN environment variable, which
 * keeps the token out of the process list), {@code --version} and {@code --help}. Parsing collects
 * every problem instead of stopping at the first.
 */
public record LaunchOptions(
    boolean demo, Optional<GatewayTarget> target, boolean version, boolean help,
    List<String> problems) {

  public static final String USAGE = """
      Usage: sluice-console [--demo | --target HOST:PORT [--token TOKEN]] [--version] [--help]

        --demo               start a demo gateway agent in-process and attach to it (the default)
        --target HOST:PORT   attach to the admin API of a running gateway agent
        --token TOKEN        bearer token for --target (or set SLUICE_TOKEN)
        --version            print the version and exit
        --help               print this help and exit
      """;

  public static LaunchOptions parse(List<String> args, @Nullable String tokenFromEnv) {
    boolean demo = false;
    boolean version = false;
    boolean help = false;
    String address = null;
    String token = tokenFromEnv;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--demo" -> demo = true;
        case "--version", "-V" -> version = true;
        case "--help", "-h" -> help = true;
        case "--target", "--token" -> {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            problems.add(arg + " needs a value");
          } else if (arg.equals("--target")) {
            address = args.get(++i);
          } else {
            token = args.get(++i);
          }
        }
        default -> problems.add("unknown option " + arg);
      }
    }
    Optional<GatewayTarget> target = Optional.empty();
    if (address != null) {
      GatewayTarget.Parsed parsed = GatewayTarget.parse(address, token);
      problems.addAll(parsed.problems());
      target = parsed.target();
      if (demo) {
        problems.add("--demo and --target exclude each other");
      }
    }
    return new LaunchOptions(demo || address == null, target, version, help, List.copyOf(problems));
  }
}
