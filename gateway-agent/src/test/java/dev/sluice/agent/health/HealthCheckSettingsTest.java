package dev.sluice.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.discovery.SettingsResult;
import dev.sluice.agent.health.HealthCheckSettings.StatusRange;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthCheckSettingsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static SettingsResult<HealthCheckSettings> parse(String text) throws Exception {
    return HealthCheckSettings.parse(YAML.readValue(text, new TypeReference<Map<String, Object>>() {}), "services[0].healthCheck");
  }

  @Test
  void readsEveryField() throws Exception {
    SettingsResult<HealthCheckSettings> result = parse("""
        method: HEAD
        path: /ready
        expectedStatuses: [200, "204", "300-302"]
        interval: 5s
        timeout: 500ms
        healthyThreshold: 1
        unhealthyThreshold: 4
        host: users.internal
        """);

    assertThat(result.violations()).isEmpty();
    HealthCheckSettings settings = result.settings();
    assertThat(settings.method()).isEqualTo("HEAD");
    assertThat(settings.expectedStatuses()).containsExactly(
        new StatusRange(200, 200), new StatusRange(204, 204), new StatusRange(300, 302));
    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.healthyThreshold()).isEqualTo(1);
    assertThat(settings.unhealthyThreshold()).isEqualTo(4);
    assertThat(settings.host()).isEqualTo("users.internal");
    assertThat(settings.expects(301)).isTrue();
    assertThat(settings.expects(303)).isFalse();
  }

  @Test
  void defaultsAreGet200To399Every10sWithA1sTimeout() throws Exception {
    HealthCheckSettings settings = parse("path: /health").settings();

    assertThat(settings).isEqualTo(HealthCheckSettings.of("/health"));
    assertThat(settings.expects(200)).isTrue();
    assertThat(settings.expects(399)).isTrue();
    assertThat(settings.expects(400)).isFalse();
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    SettingsResult<HealthCheckSettings> result = parse("""
        expectedStatuses: [200, "2xx"]
        interval: 1
        healthyThreshold: 0
        retries: 3
        """);

    assertThat(result.settings()).isNull();
    assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
        "services[0].healthCheck.path", "services[0].healthCheck.expectedStatuses[1]",
        "services[0].healthCheck.interval", "services[0].healthCheck.healthyThreshold",
        "services[0].healthCheck.retries");
  }

  @Test
  void badRequestPartsAndTimeoutsAreRefused() throws Exception {
    SettingsResult<HealthCheckSettings> result = parse("""
        method: get
        path: health
        interval: 1s
        timeout: 2m
        host: "a b"
        expectedStatuses: ["500-400"]
        """);

    assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
        "services[0].healthCheck.method", "services[0].healthCheck.path", "services[0].healthCheck.timeout",
        "services[0].healthCheck.host", "services[0].healthCheck.expectedStatuses[0]");
  }
}
