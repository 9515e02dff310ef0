package dev.sluice.console.theme;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Remembers the user's theme in {@code console.properties} under the console's config directory
 * ({@code ~/.config/sluice}, or the {@code sluice.config.dir} system property). A missing or broken
 * file means the light theme; a failed write is ignored, as it costs only the preference.
 */
public final class ThemePreference {
  private static final String KEY = "theme";
  private final Path file;

  public ThemePreference(Path configDir) {
    this.file = configDir.resolve("console.properties");
  }

  /** The console's config directory. */
  public static Path defaultConfigDir() {
    String override = System.getProperty("sluice.config.dir");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("sluice");
  }

  public Theme load() {
    Properties p = read();
    try {
      return Theme.valueOf(p.getProperty(KEY, "light").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Theme.LIGHT;
    }
  }

  public void save(Theme theme) {
    Properties p = read();
    p.setProperty(KEY, theme.name().toLowerCase(Locale.ROOT));
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "Sluice console preferences");
      }
    } catch (IOException e) {
      System.err.println("sluice-console: could not save the theme to " + file + ": " + e.getMessage());
    }
  }

  private Properties read() {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        return new Properties();
      }
    }
    return p;
  }
}
