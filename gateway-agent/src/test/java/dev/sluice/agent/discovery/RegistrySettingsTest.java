package dev.sluice.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.agent.config.InstanceConfig;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.discovery.RegistrySettings.ConsulRegistry;
import dev.sluice.agent.discovery.RegistrySettings.StaticRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrySettingsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Map<String, Object> yaml(String text) throws Exception {
    return YAML.readValue(text, new TypeReference<Map<String, Object>>() {});
  }

  @Test
  void readsAFullConsulBlock(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("""
        type: consul
        address: https://consul.internal:8501
        service: users-v2
        datacenter: eu-west
        tokenFile: %s
        tags: [prod, v2]
        tls: {caFile: %s}
        waitTime: 30s
        retryInitial: 100ms
        retryMax: 10s
        connectTimeout: 1s
        """.formatted(token, ca)), "services[0].registry");

    assertThat(result.violations()).isEmpty();
    ConsulRegistry consul = (ConsulRegistry) result.settings();
    assertThat(consul.address()).isEqualTo(URI.create("https://consul.internal:8501"));
    assertThat(consul.serviceName()).isEqualTo("users-v2");
    assertThat(consul.datacenter()).isEqualTo("eu-west");
    assertThat(consul.tokenFile()).isEqualTo(token);
    assertThat(consul.tags()).containsExactly("prod", "v2");
    assertThat(consul.tls().caFile()).isEqualTo(ca);
    assertThat(consul.waitTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(consul.retryInitial()).isEqualTo(Duration.ofMillis(100));
    assertThat(consul.retryMax()).isEqualTo(Duration.ofSeconds(10));
    assertThat(consul.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void consulDefaultsNeedOnlyTheType() throws Exception {
    ConsulRegistry consul = (ConsulRegistry) RegistrySettings.parse(yaml("type: consul"), "r").settings();

    assertThat(consul.address()).isEqualTo(URI.create("http://127.0.0.1:8500"));
    assertThat(consul.waitTime()).isEqualTo(Duration.ofSeconds(55));
    assertThat(consul.retryInitial()).isEqualTo(Duration.ofMillis(250));
    assertThat(consul.retryMax()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void reportsEveryTypeProblemAtOnceWithItsPath() throws Exception {
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("""
        type: consul
        address: 8500
        waitTime: forever
        tags: prod
        colour: blue
        tls: {caFile: 3, pin: x}
        """), "services[1].registry");

    assertThat(result.settings()).isNull();
    assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
        "services[1].registry.address", "services[1].registry.waitTime", "services[1].registry.tags",
        "services[1].registry.colour", "services[1].registry.tls.caFile", "services[1].registry.tls.pin");
  }

  @Test
  void reportsEveryRangeProblemAtOnce(@TempDir Path dir) throws Exception {
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("""
        type: consul
        address: ftp://consul
        token: abc
        tokenFile: %s
        tls: {certFile: /nowhere/cert.pem}
        waitTime: 11m
        retryInitial: 5s
        retryMax: 1s
        """.formatted(dir.resolve("missing-token"))), "r");

    assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
        "r.address", "r.token", "r.tokenFile", "r.tls", "r.tls", "r.tls.certFile", "r.waitTime", "r.retryMax");
    assertThat(result.violations()).extracting(Violation::message)
        .contains("give either token or tokenFile, not both", "certFile and keyFile go together; give both or neither");
  }

  @Test
  void unknownTypeIsNamed() throws Exception {
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("type: eureka"), "r");

    assertThat(result.violations()).singleElement()
        .isEqualTo(new Violation("r.type", "must be static or consul, was \"eureka\""));
  }

  @Test
  void printedSettingsNeverShowTheToken() {
    ConsulRegistry consul = ConsulRegistry.at(URI.create("http://127.0.0.1:8500")).withToken("p4ssw0rd-token");

    assertThat(consul.toString()).doesNotContain("p4ssw0rd").contains("(redacted)");
  }

  @Test
  void readsStaticInstancesWithWeightAndZone() throws Exception {
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("""
        type: static
        instances:
          - {host: 10.0.0.1, port: 8080, weight: 3, zone: eu-1a}
          - {host: 10.0.0.2, port: 8080}
        """), "r");

    assertThat(result.violations()).isEmpty();
    assertThat(((StaticRegistry) result.settings()).instances()).containsExactly(
        new RegistrySettings.StaticInstance("10.0.0.1", 8080, 3, "eu-1a"),
        new RegistrySettings.StaticInstance("10.0.0.2", 8080, 1, null));
  }

  @Test
  void staticInstancesAreCheckedOneByOne() throws Exception {
    SettingsResult<RegistrySettings> result = RegistrySettings.parse(yaml("""
        type: static
        instances:
          - {host: 10.0.0.1, port: 70000}
          - {host: 10.0.0.1, port: 8080, weight: 0}
          - {port: 8080, region: x}
        """), "r");

    assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
        "r.instances[0].port", "r.instances[1].weight", "r.instances[2].region");
  }

  @Test
  void staticRegistryDeliversTheConfigInstancesAtOncePassingAndFresh() {
    StaticRegistry settings = StaticRegistry.of(List.of(new InstanceConfig("10.0.0.2", 80), new InstanceConfig("10.0.0.1", 80)));
    RecordingListener listener = new RecordingListener();
    try (ServiceRegistry registry = ServiceRegistry.create("users", settings, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      registry.start(listener);

      assertThat(listener.ids()).containsExactly("10.0.0.1:80", "10.0.0.2:80");
      assertThat(listener.latest.get()).allSatisfy(i -> {
        assertThat(i.health()).isEqualTo(RegistryHealth.PASSING);
        assertThat(i.weight()).isEqualTo(1);
      });
      assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.FRESH);
    }
  }
}
