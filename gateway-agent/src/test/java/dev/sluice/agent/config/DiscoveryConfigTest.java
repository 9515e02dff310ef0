package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.discovery.RegistrySettings.ConsulRegistry;
import dev.sluice.agent.health.HealthCheckSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The discovery part of a service in the config file: registry, discovery, healthCheck, consulMaintenance. */
class DiscoveryConfigTest {

    private static String file(String top, String services) {
        return """
                listeners: [{name: public, host: 127.0.0.1, port: 8080}]
                """ + top + """
                services:
                """ + services + """
                routes:
                  - {id: users, match: {path: /users}, service: users}
                """;
    }

    @Test
    void aServiceTakesTheTopLevelConsulBlockWithItsOwnFieldsLaidOver() {
        ConfigResult result = ConfigLoader.parse(file("""
                registry: {type: consul, address: "http://10.0.0.5:8500", datacenter: eu, token: secret}
                """, """
                  - name: users
                    discovery: consul
                    registry: {service: users-v2, tag: prod}
                    consulMaintenance: true
                    healthCheck: {path: /health, interval: 2s}
                """));

        assertThat(result.violations()).isEmpty();
        ServiceConfig users = result.orThrow().service("users");
        ConsulRegistry consul = users.consul();
        assertThat(consul).isNotNull();
        assertThat(consul.address()).isEqualTo(URI.create("http://10.0.0.5:8500"));
        assertThat(consul.datacenter()).isEqualTo("eu");
        assertThat(consul.token()).isEqualTo("secret");
        assertThat(consul.serviceName()).isEqualTo("users-v2");
        assertThat(consul.tags()).containsExactly("prod");
        assertThat(users.instances()).isEmpty();
        assertThat(users.consulMaintenance()).isTrue();
        assertThat(users.healthCheck()).isEqualTo(HealthCheckSettings.of("/health")
                .withTiming(Duration.ofSeconds(2), HealthCheckSettings.DEFAULT_TIMEOUT));
    }

    @Test
    void aStaticRegistryBlockListsTheInstances() {
        ConfigResult result = ConfigLoader.parse(file("", """
                  - name: users
                    registry:
                      type: static
                      instances:
                        - {host: 127.0.0.1, port: 9001, id: u1, weight: 3}
                        - {host: 127.0.0.1, port: 9002}
                """));

        assertThat(result.violations()).isEmpty();
        ServiceConfig users = result.orThrow().service("users");
        assertThat(users.consul()).isNull();
        assertThat(users.instances()).containsExactly(new InstanceConfig("127.0.0.1", 9001, "u1", 3, ""),
                new InstanceConfig("127.0.0.1", 9002));
    }

    @Test
    void reportsEveryDiscoveryMistakeAtOnceWithItsPath() {
        ConfigResult result = ConfigLoader.parse(file("", """
                  - name: users
                    discovery: consul
                    consulMaintenance: true
                    healthCheck: {interval: 1ms}
                  - name: orders
                    registry: {type: consul, address: "ftp://consul", waitTime: 1h}
                    instances: [{host: 127.0.0.1, port: 9001}]
                  - name: billing
                    consulMaintenance: true
                    instances: [{host: 127.0.0.1, port: 9001}]
                """));

        assertThat(result.ok()).isFalse();
        List<String> paths = result.violations().stream().map(Violation::path).toList();
        assertThat(paths).contains(
                "services[0].discovery",
                "services[0].healthCheck.path",
                "services[0].consulMaintenance",
                "services[1].registry.address",
                "services[1].registry.waitTime",
                "services[1].instances",
                "services[2].consulMaintenance");
    }
}
