package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void versionPrintsTheProjectVersionWithoutStartingJavaFx() {
    int code = Main.run(List.of("--version"), print(out), print(err));

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("sluice-console 0.1.0-SNAPSHOT");
  }

  @Test
  void badOptionsAreAllNamedWithTheUsage() {
    int code = Main.run(List.of("--target", "nowhere", "--frobnicate"), print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown option --frobnicate")
        .contains("address \"nowhere\" must be host:port")
        .contains("Usage: sluice-console");
  }

  @Test
  void demoIsTheDefaultAndATargetReplacesIt() {
    assertThat(LaunchOptions.parse(List.of(), null).demo()).isTrue();
    LaunchOptions target = LaunchOptions.parse(List.of("--target", "gw:9090"), "from-env");
    assertThat(target.demo()).isFalse();
    assertThat(target.target().orElseThrow().token()).isEqualTo("from-env");
    assertThat(LaunchOptions.parse(List.of("--demo", "--target", "gw:9090"), null).problems())
        .containsExactly("--demo and --target exclude each other");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
