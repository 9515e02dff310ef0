package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String VALID = """
            agent: {id: edge-1, cluster: eu}
            listeners:
              - {name: public, host: 127.0.0.1, port: 8080, idleTimeout: 90s}
            metrics: {host: 127.0.0.1, port: 9100}
            accessLog: {enabled: false}
            services:
              - name: users
                connectTimeout: 500ms
                responseTimeout: 2s
                idleTimeout: 1m
                maxConnectionsPerInstance: 8
                instances:
                  - {host: 127.0.0.1, port: 9001}
                  - {host: 127.0.0.1, port: 9002}
            routes:
              - id: users-get
                match: {host: API.example.com, path: /api/users/:id, methods: [GET, PUT]}
                service: users
                rewritePath: /v2/users/{id}
                requestHeaders: {set: {X-Env: prod}, add: {Via: sluice}, remove: [Cookie]}
                responseTimeout: 1s
                maxBodyBytes: 1024
              - id: files
                match: {path: /files/*rest}
                service: users
                stripPrefix: /files
            """;

    @Test
    void readsEveryFieldOfAValidFile() {
        ConfigResult result = ConfigLoader.parse(VALID);

        assertThat(result.violations()).isEmpty();
        GatewayConfig config = result.orThrow();
        assertThat(config.agent()).isEqualTo(new AgentSettings("edge-1", "eu"));
        assertThat(config.listeners()).containsExactly(new ListenerConfig("public", "127.0.0.1", 8080, Duration.ofSeconds(90)));
        assertThat(config.metrics()).isEqualTo(new ListenerConfig("metrics", "127.0.0.1", 9100, ListenerConfig.DEFAULT_IDLE_TIMEOUT));
        assertThat(config.admin()).isNull();
        assertThat(config.accessLog().enabled()).isFalse();
        ServiceConfig users = config.service("users");
        assertThat(users).isNotNull();
        assertThat(users.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(users.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(users.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(users.maxConnectionsPerInstance()).isEqualTo(8);
        assertThat(users.instances()).extracting(InstanceConfig::port).containsExactly(9001, 9002);
        RouteConfig route = config.routes().get(0);
        assertThat(route.match().host()).isEqualTo("api.example.com");
        assertThat(route.match().methods()).containsExactlyInAnyOrder("GET", "PUT");
        assertThat(route.rewritePath()).isEqualTo("/v2/users/{id}");
        assertThat(route.requestHeaders().set()).containsEntry("X-Env", "prod");
        assertThat(route.requestHeaders().remove()).containsExactly("Cookie");
        assertThat(route.responseTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(route.maxBodyBytes()).isEqualTo(1024);
        assertThat(config.routes().get(1).stripPrefix()).isEqualTo("/files");
        assertThat(config.routes().get(1).match().methods()).isEmpty();
    }

    @Test
    void reportsEveryViolationAtOnceWithItsFieldPath() {
        String yaml = """
                listeners:
                  - {port: 8080}
                services:
                  - name: users
                    connectTimeout: soon
                    instances: [{host: 127.0.0.1, port: 9001}]
                  - name: orders
                    instances: [{host: 127.0.0.1, port: 70000}]
                  - name: users
                    instances: [{host: 127.0.0.1, port: 9003}]
                    retries: 3
                routes:
                  - id: a
                    match: {path: /a, methods: [get]}
                    service: users
                  - id: a
                    match: {path: b}
                    service: billing
                  - id: c
                    match: {path: /c/:id}
                    service: users
                    rewritePath: /x/{userId}
                  - id: d
                    match: {path: /d/x}
                    service: users
                    stripPrefix: /e
                    maxBodyBytes: -1
                """;

        ConfigResult result = ConfigLoader.parse(yaml);

        assertThat(result.ok()).isFalse();
        assertThat(result.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
                "services[0].connectTimeout: 'soon' is not a duration (use a number and a unit: 500ms, 2s, 1m, 1h)",
                "services[1].instances[0].port: must be between 1 and 65535",
                "services[2].retries: unknown field 'retries'",
                "services[2].name: duplicate service name 'users' (first used by services[0])",
                "routes[0].match.methods[0]: must be an upper-case HTTP method such as GET",
                "routes[1].match.path: must start with '/'",
                "routes[1].id: duplicate route id 'a' (first used by routes[0])",
                "routes[1].service: unknown service 'billing'",
                "routes[2].rewritePath: placeholder {userId} is not a parameter of the route path '/c/:id'",
                "routes[3].stripPrefix: '/e' is not a leading part of the route path '/d/x'",
                "routes[3].maxBodyBytes: must be between 0 and 9223372036854775807");
    }

    @Test
    void reportsMissingRequiredFields() {
        ConfigResult result = ConfigLoader.parse("""
                services:
                  - instances: []
                routes:
                  - id: r
                """);

        assertThat(result.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
                "listeners: is required",
                "services[0].name: is required",
                "services[0].instances: must list at least one instance",
                "routes[0].match: is required",
                "routes[0].service: is required");
    }

    @Test
    void rejectsSyntaxErrorsDuplicateKeysAndEmptyFiles() {
        assertThat(ConfigLoader.parse("listeners: [").violations()).singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("not valid YAML at line"));
        assertThat(ConfigLoader.parse("routes: []\nroutes: []\n").violations()).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("Duplicate field 'routes'"));
        assertThat(ConfigLoader.parse("").violations()).extracting(Violation::message).containsExactly("the file is empty");
    }

    @Test
    void reportsRouteConflictsAndBadPatternsFromTheRouterByRouteIndex() {
        ConfigResult result = ConfigLoader.parse("""
                listeners: [{port: 8080}]
                services: [{name: s, instances: [{host: 127.0.0.1, port: 9001}]}]
                routes:
                  - {id: a, match: {path: /users/:id}, service: s}
                  - {id: b, match: {path: /orders}, service: s}
                  - {id: c, match: {path: /users/:userId}, service: s}
                  - {id: d, match: {path: /files/*rest/more}, service: s}
                  - {id: e, match: {path: /users/:id, host: api.example.com}, service: s}
                """);

        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "routes[2].match.path", "routes[3].match.path");
        assertThat(result.violations().get(0).message()).contains(":id", ":userId");
    }

    @Test
    void rejectsTwoListenersOnTheSameAddress() {
        ConfigResult result = ConfigLoader.parse("""
                listeners: [{name: a, host: 127.0.0.1, port: 8080}]
                metrics: {host: 127.0.0.1, port: 8080}
                """);

        assertThat(result.violations()).extracting(Violation::toString)
                .containsExactly("metrics.port: address 127.0.0.1:8080 is already used by listeners[0]");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gateway.yaml", "api-gateway.yaml"})
    void exampleConfigurationsAreValid(String name) {
        ConfigResult result = ConfigLoader.load(java.nio.file.Path.of("..", "examples", name));

        assertThat(result.violations()).isEmpty();
    }

    @Test
    void parsesDurationUnits() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2")).isNull();
        assertThat(Durations.parse("1.5s")).isNull();
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    }
}
