package dev.sluice.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javafx.application.Application;

/**
 * The console's entry point. Deliberately not a JavaFX {@code Application}: {@code --version},
 * {@code --help}, bad options and a missing display are answered in plain words before any
 * toolkit starts.
 */
public final class Main {
  private static final java.util.logging.Logger QUIET_JAVAFX_LOGGER =
      java.util.logging.Logger.getLogger("javafx");

  private Main() {}

  public static void main(String[] args) {
    int code = run(List.of(args), System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /** Handles what needs no window; returns an exit code, or -1 once the window has closed. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    LaunchOptions options = LaunchOptions.parse(args, System.getenv("SLUICE_TOKEN"));
    if (options.version()) {
      out.println("sluice-console " + version());
      return 0;
    }
    if (options.help()) {
      out.print(LaunchOptions.USAGE);
      return 0;
    }
    if (!options.problems().isEmpty()) {
      for (String problem : options.problems()) {
        err.println("sluice-console: " + problem);
      }
      err.print(LaunchOptions.USAGE);
      return 2;
    }
    String noDisplay = missingDisplay();
    if (noDisplay != null) {
      err.println("sluice-console: " + noDisplay);
      return 3;
    }
    // JavaFX warns when it runs from the classpath, which is how this console ships on purpose.
    QUIET_JAVAFX_LOGGER.setLevel(java.util.logging.Level.SEVERE);
    try {
      ConsoleApp.options = options;
      Application.launch(ConsoleApp.class);
      return 0;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      err.println("sluice-console: the window could not open: " + e.getMessage());
      err.println("  On Linux the console needs a desktop session or Xvfb, and GTK 3 (libgtk-3-0).");
      return 4;
    }
  }

  /** Why no window can open here, or null when a display seems available. */
  static @org.jspecify.annotations.Nullable String missingDisplay() {
    if ("Monocle".equals(System.getProperty("glass.platform"))) {
      return null;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win") || os.contains("mac")) {
      return null;
    }
    String display = System.getenv("DISPLAY");
    String wayland = System.getenv("WAYLAND_DISPLAY");
    if ((display == null || display.isBlank()) && (wayland == null || wayland.isBlank())) {
      return "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). Run the console in a"
          + " desktop session, or under a virtual display: Xvfb :99 & DISPLAY=:99 sluice-console";
    }
    return null;
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
