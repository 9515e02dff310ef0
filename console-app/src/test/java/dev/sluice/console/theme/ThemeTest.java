package dev.sluice.console.theme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThemeTest {
  private static final Pattern LOOKED_UP = Pattern.compile("(-sluice-[a-z0-9-]+)");
  private static final Pattern DEFINED = Pattern.compile("(-sluice-[a-z0-9-]+)\\s*:");
  private static final Pattern COLOUR_LITERAL = Pattern.compile("#[0-9a-fA-F]{3,8}\\b|rgba?\\(");

  @Test
  void everyPaletteDefinesEveryColourTheRulesLookUp() throws IOException {
    String rules = read(Theme.LIGHT.stylesheets().get(1));
    Set<String> used = names(LOOKED_UP, rules);
    assertThat(used).contains("-sluice-ok", "-sluice-warn", "-sluice-bad", "-sluice-muted");

    for (Theme theme : Theme.values()) {
      Set<String> defined = names(DEFINED, read(theme.stylesheets().get(0)));
      assertThat(defined).as(theme + " palette").containsAll(used);
    }
  }

  @Test
  void sharedRulesNameNoColourOfTheirOwn() throws IOException {
    String rules = read(Theme.DARK.stylesheets().get(1));

    assertThat(COLOUR_LITERAL.matcher(rules).find()).as("colour literal in base.css").isFalse();
  }

  @Test
  void chosenThemeIsRememberedAcrossRestarts(@TempDir Path dir) {
    ThemePreference first = new ThemePreference(dir);
    assertThat(first.load()).isEqualTo(Theme.LIGHT);

    first.save(Theme.DARK);

    assertThat(new ThemePreference(dir).load()).isEqualTo(Theme.DARK);
  }

  @Test
  void brokenPreferenceFileFallsBackToLight(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("console.properties"), "theme=purple\n");

    assertThat(new ThemePreference(dir).load()).isEqualTo(Theme.LIGHT);
  }

  private static Set<String> names(Pattern pattern, String css) {
    Set<String> out = new TreeSet<>();
    Matcher m = pattern.matcher(css);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String read(String url) throws IOException {
    try (InputStream in = new URL(url).openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
