package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminConfigTest {

    private static final String HASH = "a".repeat(64);
    private static final String BASE = """
            listeners: [{name: public, host: 127.0.0.1, port: 8080}]
            services: [{name: users, instances: [{host: 127.0.0.1, port: 9001}]}]
            routes: [{id: users, match: {path: /users}, service: users}]
            """;

    @Test
    void readsEveryFieldOfTheAdminBlock() {
        ConfigResult result = ConfigLoader.parse(BASE + """
                admin:
                  host: 0.0.0.0
                  port: 9443
                  tls: {cert: tls/admin.crt, key: tls/admin.key, clientCa: tls/ca.crt, clientAuth: optional}
                  tokens:
                    - name: alice
                      sha256: %s
                      role: operator
                      scope: {services: [payments], routePrefixes: [/pay]}
                      permissions: [permanent-override]
                  clientCertificates:
                    - {subject: "CN=bob,O=sre", role: viewer}
                  audit: {file: /var/log/sluice/audit.log, maxBytes: 2048, keep: 3}
                """.formatted(HASH));

        assertThat(result.violations()).isEmpty();
        AdminConfig admin = result.orThrow().admin();
        assertThat(admin).isNotNull();
        assertThat(admin.listener().host()).isEqualTo("0.0.0.0");
        assertThat(admin.listener().port()).isEqualTo(9443);
        assertThat(admin.tls()).isEqualTo(new AdminConfig.Tls(Path.of("tls/admin.crt"), Path.of("tls/admin.key"),
                Path.of("tls/ca.crt"), AdminConfig.ClientAuth.OPTIONAL));
        assertThat(admin.tokens()).containsExactly(new AdminConfig.Token("alice", HASH, AdminConfig.Role.OPERATOR,
                new AdminConfig.Scope(java.util.List.of("payments"), java.util.List.of("/pay")),
                Set.of("permanent-override")));
        assertThat(admin.clientCertificates()).containsExactly(new AdminConfig.ClientCertificate("CN=bob,O=sre",
                AdminConfig.Role.VIEWER, AdminConfig.Scope.UNRESTRICTED, Set.of()));
        assertThat(admin.audit()).isEqualTo(new AdminConfig.Audit(Path.of("/var/log/sluice/audit.log"), 2048, 3));
    }

    @Test
    void defaultsToLoopbackPlaintextAndAuditBesideTheConfig() {
        AdminConfig admin = ConfigLoader.parse(BASE + """
                admin:
                  tokens: [{name: ops, sha256: %s, role: viewer}]
                """.formatted(HASH)).orThrow().admin();

        assertThat(admin).isNotNull();
        assertThat(admin.listener().host()).isEqualTo("127.0.0.1");
        assertThat(admin.tls()).isNull();
        assertThat(admin.insecure()).isFalse();
        assertThat(admin.audit()).isEqualTo(AdminConfig.Audit.DEFAULTS);
    }

    @Test
    void reportsEveryProblemOfTheAdminBlockWithItsPath() {
        ConfigResult result = ConfigLoader.parse(BASE + """
                admin:
                  host: 10.0.0.5
                  colour: blue
                  tokens:
                    - {name: alice, sha256: not-a-hash, role: admin, permissions: [everything]}
                    - {name: alice, sha256: %s, role: operator, scope: {services: [""]}}
                    - {name: bob, sha256: %s, role: viewer}
                  clientCertificates:
                    - {subject: "not an x500 name", role: viewer}
                  audit: {maxBytes: 10, keep: 0}
                """.formatted(HASH, HASH));

        assertThat(result.ok()).isFalse();
        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "admin.colour",
                "admin.tokens[0].sha256",
                "admin.tokens[0].role",
                "admin.tokens[0].permissions[0]",
                "admin.tokens[1].scope.services[0]",
                "admin.tokens[1].name",
                "admin.tokens[2].sha256",
                "admin.clientCertificates[0].subject",
                "admin.clientCertificates",
                "admin.audit.maxBytes",
                "admin.audit.keep",
                "admin.tls");
    }

    @Test
    void refusesAnAdminBlockNobodyCanCallAndClientAuthWithoutCa() {
        ConfigResult result = ConfigLoader.parse(BASE + """
                admin:
                  tls: {cert: a.crt, key: a.key, clientAuth: require}
                """);

        assertThat(result.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
                "admin.tls.clientCa: is required when clientAuth is require",
                "admin.tokens: list at least one token or client certificate, or nobody can call the admin API");
    }

    @Test
    void allowsPlaintextOffLoopbackOnlyWhenInsecure() {
        ConfigResult result = ConfigLoader.parse(BASE + """
                admin:
                  host: 0.0.0.0
                  insecure: true
                  tokens: [{name: ops, sha256: %s, role: viewer}]
                """.formatted(HASH));

        assertThat(result.violations()).isEmpty();
        assertThat(result.orThrow().admin().insecure()).isTrue();
    }
}
