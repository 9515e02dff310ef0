package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListenerLimitsConfigTest {

    private static final String SERVICES = """
            services: [{name: app, instances: [{host: 127.0.0.1, port: 9000}]}]
            """;

    @Test
    void readsEveryLimitWithSizesInBytesOrUnits() {
        ConfigResult result = ConfigLoader.parse("""
                listeners:
                  - name: public
                    port: 8080
                    limits: {maxRequestLineLength: 4KiB, maxHeaderSize: 32768, maxHeaderCount: 50, maxBodySize: 10MiB,
                             maxConnections: 500, headerReadTimeout: 5s, bodyReadTimeout: 20s}
                """ + SERVICES + """
                routes: [{id: up, match: {path: /up}, service: app, maxBodySize: 2GiB}]
                """);

        GatewayConfig config = result.orThrow();
        assertThat(config.listeners().get(0).limits()).isEqualTo(new ListenerLimits(
                4096, 32768, 50, 10L * 1024 * 1024, 500, Duration.ofSeconds(5), Duration.ofSeconds(20)));
        assertThat(config.routes().get(0).maxBodyBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
    }

    @Test
    void usesTheDefaultsWhenThereIsNoLimitsBlock() {
        GatewayConfig config = ConfigLoader.parse("listeners: [{port: 8080}]\n" + SERVICES).orThrow();

        assertThat(config.listeners().get(0).limits()).isEqualTo(ListenerLimits.DEFAULTS);
        assertThat(ListenerLimits.DEFAULTS.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ListenerLimits.DEFAULTS.maxBodySize()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void reportsEveryBadLimitWithItsPath() {
        ConfigResult result = ConfigLoader.parse("""
                listeners:
                  - port: 8080
                    limits: {maxRequestLineLength: 10, maxHeaderSize: lots, maxHeaderCount: 0, maxBodySize: 5 MB,
                             maxConnections: -1, headerReadTimeout: soon, bodyReadTimeout: 0s, maxUris: 3}
                """ + SERVICES + """
                routes: [{id: up, match: {path: /up}, service: app, maxBodySize: 1KiB, maxBodyBytes: 1024}]
                """);

        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "listeners[0].limits.maxRequestLineLength",
                "listeners[0].limits.maxHeaderSize",
                "listeners[0].limits.maxHeaderCount",
                "listeners[0].limits.maxBodySize",
                "listeners[0].limits.maxConnections",
                "listeners[0].limits.headerReadTimeout",
                "listeners[0].limits.bodyReadTimeout",
                "listeners[0].limits.maxUris",
                "routes[0].maxBodyBytes");
    }
}
