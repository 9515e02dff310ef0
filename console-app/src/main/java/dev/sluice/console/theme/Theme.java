package dev.sluice.console.theme;

import java.net.URL;
import java.util.List;
import java.util.Objects;

/**
 * A console theme: a palette stylesheet (the looked-up colours) followed by the shared rules. Both
 * come from the {@code stylesheets} module; Java never names a colour.
 */
public enum Theme {
  LIGHT("light.css"),
  DARK("dark.css");

  private static final String BASE = "base.css";
  private final String palette;

  Theme(String palette) {
    this.palette = palette;
  }

  /** Stylesheet URLs in the order a scene must list them. */
  public List<String> stylesheets() {
    return List.of(url(palette), url(BASE));
  }

  public Theme other() {
    return this == LIGHT ? DARK : LIGHT;
  }

  private static String url(String name) {
    URL url = Theme.class.getResource("/dev/sluice/theme/" + name);
    return Objects.requireNonNull(url, "stylesheet missing from the classpath: " + name)
        .toExternalForm();
  }
}
