package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The resilience and control blocks of the config file: read with their defaults, checked with field paths. */
class ResilienceConfigTest {

    private static final String HEAD = """
            listeners: [{host: 127.0.0.1, port: 0}]
            """;

    @Test
    void readsBreakerOutlierFloorInstancesLimitsRetriesAndAgentSettings() {
        ConfigResult result = ConfigLoader.parse(HEAD + """
                agent: {id: a, cluster: c, maxOverrideTtl: 2h, stateFile: /var/lib/sluice/state.json}
                services:
                  - name: users
                    balancer: least-request
                    minHealthyPercent: 75
                    breaker: {windowSize: 10, minimumCalls: 5, failureRateThreshold: 40, openDuration: 5s}
                    outlier: {consecutiveFailures: 3, maxEjectedPercent: 20}
                    instances:
                      - {host: 127.0.0.1, port: 9001, id: users-1, weight: 3, zone: eu-1a}
                      - {host: 127.0.0.1, port: 9002}
                routes:
                  - id: r
                    match: {path: /r}
                    service: users
                    rateLimit: {requestsPerSecond: 5, burst: 10, key: header, keyName: X-Tenant}
                    retry: {maxAttempts: 3, perTryTimeout: 500ms}
                """);

        assertThat(result.violations()).isEmpty();
        GatewayConfig config = result.orThrow();
        assertThat(config.agent().maxOverrideTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.agent().stateFile()).isEqualTo("/var/lib/sluice/state.json");
        ServiceConfig users = config.services().get(0);
        assertThat(users.balancer()).isEqualTo(BalancerKind.LEAST_REQUEST);
        assertThat(users.minHealthyPercent()).isEqualTo(75.0);
        assertThat(users.breaker().windowSize()).isEqualTo(10);
        assertThat(users.breaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(users.outlier().consecutiveFailures()).isEqualTo(3);
        assertThat(users.instances().get(0)).isEqualTo(new InstanceConfig("127.0.0.1", 9001, "users-1", 3, "eu-1a"));
        assertThat(users.instances().get(1).id()).isEqualTo("127.0.0.1:9002");
        RouteConfig route = config.routes().get(0);
        assertThat(route.rateLimit()).isEqualTo(new RateLimitConfig(5, 10, RateLimitConfig.Key.HEADER, "X-Tenant"));
        assertThat(route.retry()).isEqualTo(new RetryConfig(3, Duration.ofMillis(500)));
    }

    @Test
    void defaultsAreDocumentedOnes() {
        GatewayConfig config = ConfigLoader.parse(HEAD + """
                services: [{name: s, instances: [{host: 127.0.0.1, port: 1}]}]
                routes: [{id: r, match: {path: /}, service: s}]
                """).orThrow();
        assertThat(config.agent().maxOverrideTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.services().get(0).minHealthyPercent()).isEqualTo(50.0);
        assertThat(config.routes().get(0).rateLimit()).isNull();
        assertThat(config.routes().get(0).retry().enabled()).isFalse();
    }

    @Test
    void everySettingsProblemIsReportedWithItsFieldPath() {
        ConfigResult result = ConfigLoader.parse(HEAD + """
                services:
                  - name: ok
                    instances: [{host: 127.0.0.1, port: 1}]
                  - name: bad
                    minHealthyPercent: 120
                    breaker: {windowSize: 10, minimumCalls: 20, halfOpenCalls: 0, bogus: 1}
                    outlier: {baseEjectionTime: 10s, maxEjectionTime: 1s}
                    instances: [{host: 127.0.0.1, port: 1, weight: 0}]
                routes:
                  - id: r
                    match: {path: /}
                    service: ok
                    rateLimit: {requestsPerSecond: 0, key: jwtClaim}
                    retry: {maxAttempts: 11}
                """);

        assertThat(result.violations()).extracting(Violation::path).contains(
                "services[1].minHealthyPercent",
                "services[1].breaker.minimumCalls",
                "services[1].breaker.halfOpenCalls",
                "services[1].breaker.bogus",
                "services[1].outlier.maxEjectionTime",
                "services[1].instances[0].weight",
                "routes[0].rateLimit.requestsPerSecond",
                "routes[0].rateLimit.keyName",
                "routes[0].retry.maxAttempts");
    }
}
