package dev.sluice.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code admin:} block: where the admin gRPC server listens, how it is secured, who may call it
 * and where the audit log goes. Relative file paths are relative to the config file's directory;
 * the admin layer resolves them when it starts the server.
 *
 * @param listener host and port of the admin listener (name "admin")
 * @param tls TLS material; null serves plaintext, which is refused off loopback unless {@code insecure}
 * @param insecure allow plaintext on a non-loopback address (logged as a warning)
 */
public record AdminConfig(
        ListenerConfig listener,
        @Nullable Tls tls,
        boolean insecure,
        List<Token> tokens,
        List<ClientCertificate> clientCertificates,
        Audit audit) {

    public AdminConfig {
        tokens = List.copyOf(tokens);
        clientCertificates = List.copyOf(clientCertificates);
    }

    /** What a caller may do: read (viewer) or also change (operator). */
    public enum Role { VIEWER, OPERATOR }

    /** Whether the admin listener asks for a client certificate. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    /** PEM files; {@code clientCa} is required unless {@code clientAuth} is NONE. */
    public record Tls(Path certificate, Path key, @Nullable Path clientCa, ClientAuth clientAuth) {
    }

    /** Services and route path prefixes a principal may change; empty lists mean no restriction. */
    public record Scope(List<String> services, List<String> routePrefixes) {
        public static final Scope UNRESTRICTED = new Scope(List.of(), List.of());

        public Scope {
            services = List.copyOf(services);
            routePrefixes = List.copyOf(routePrefixes);
        }
    }

    /** A bearer token, held only as the SHA-256 of the token in lower-case hex. */
    public record Token(String name, String sha256, Role role, Scope scope, Set<String> permissions) {
        public Token {
            permissions = Set.copyOf(permissions);
        }
    }

    /** An mTLS client certificate's subject (an X.500 name such as {@code CN=alice,O=sre}) and its grant. */
    public record ClientCertificate(String subject, Role role, Scope scope, Set<String> permissions) {
        public ClientCertificate {
            permissions = Set.copyOf(permissions);
        }
    }

    /**
     * The audit log: {@code file} null means {@code <config base name>.audit.log} beside the config
     * file; rotated past {@code maxBytes}, keeping {@code keep} rotated files.
     */
    public record Audit(@Nullable Path file, long maxBytes, int keep) {
        public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
        public static final int DEFAULT_KEEP = 5;
        public static final Audit DEFAULTS = new Audit(null, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }
}
