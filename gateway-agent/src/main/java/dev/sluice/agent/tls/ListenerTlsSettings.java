package dev.sluice.agent.tls;

import dev.sluice.agent.config.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of one listener. The first certificate is the default (clients without SNI or with an
 * unknown name get it); each certificate serves the names in {@code serverNames}, or when that is
 * empty the DNS names of its subjectAltName. {@code reloadInterval} is how often the files are checked
 * for changes ({@link Duration#ZERO} turns reloading off).
 */
public record ListenerTlsSettings(
        List<CertificateSettings> certificates,
        ClientAuthMode clientAuth,
        @Nullable Path clientCaBundle,
        List<String> protocols,
        List<String> ciphers,
        List<String> alpn,
        Duration handshakeTimeout,
        Duration reloadInterval) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    /** A PEM certificate chain (leaf first) and its PKCS#8 private key, RSA or EC. */
    public record CertificateSettings(Path certificateChain, Path privateKey, List<String> serverNames) {
        public CertificateSettings {
            serverNames = List.copyOf(serverNames);
        }

        public CertificateSettings(Path certificateChain, Path privateKey) {
            this(certificateChain, privateKey, List.of());
        }
    }

    public ListenerTlsSettings {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        alpn = List.copyOf(alpn);
    }

    /** Defaults for everything but the certificates: no client certificates, TLS 1.3 + 1.2, h2 + http/1.1. */
    public static ListenerTlsSettings of(List<CertificateSettings> certificates) {
        return new ListenerTlsSettings(certificates, ClientAuthMode.NONE, null, TlsDefaults.PROTOCOLS, TlsDefaults.CIPHERS,
                TlsDefaults.ALPN, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_RELOAD_INTERVAL);
    }

    public ListenerTlsSettings withClientAuth(ClientAuthMode mode, @Nullable Path caBundle) {
        return new ListenerTlsSettings(certificates, mode, caBundle, protocols, ciphers, alpn, handshakeTimeout,
                reloadInterval);
    }

    public ListenerTlsSettings withReloadInterval(Duration interval) {
        return new ListenerTlsSettings(certificates, clientAuth, clientCaBundle, protocols, ciphers, alpn,
                handshakeTimeout, interval);
    }

    public ListenerTlsSettings withAlpn(List<String> names) {
        return new ListenerTlsSettings(certificates, clientAuth, clientCaBundle, protocols, ciphers, names,
                handshakeTimeout, reloadInterval);
    }

    /** Every problem visible without reading the files (those are checked when the context is built). */
    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (certificates.isEmpty()) {
            out.add(new Violation(path + ".certificates", "list at least one certificate (the first is the default)"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < certificates.size(); i++) {
            for (String name : certificates.get(i).serverNames()) {
                if (!isServerNamePattern(name)) {
                    out.add(new Violation(path + ".certificates[" + i + "].serverNames",
                            "'" + name + "' is not a host name or *.domain pattern"));
                } else if (!names.add(name.toLowerCase(java.util.Locale.ROOT))) {
                    out.add(new Violation(path + ".certificates[" + i + "].serverNames",
                            "'" + name + "' is served by two certificates"));
                }
            }
        }
        if (clientAuth != ClientAuthMode.NONE && clientCaBundle == null) {
            out.add(new Violation(path + ".clientCaBundle", "is required when clientAuth is " + clientAuth.name().toLowerCase(java.util.Locale.ROOT)));
        }
        subset(path + ".protocols", protocols, TlsDefaults.ALLOWED_PROTOCOLS, "TLSv1.3 and TLSv1.2", out);
        subset(path + ".ciphers", ciphers, TlsDefaults.ALLOWED_CIPHERS, "the suites in TlsDefaults.CIPHERS (ECDHE with AEAD)", out);
        subset(path + ".alpn", alpn, TlsDefaults.ALLOWED_ALPN, "h2 and http/1.1", out);
        if (alpn.isEmpty()) {
            out.add(new Violation(path + ".alpn", "list at least one of h2, http/1.1"));
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            out.add(new Violation(path + ".handshakeTimeout", "must be positive"));
        }
        if (reloadInterval.isNegative() || (!reloadInterval.isZero() && reloadInterval.toMillis() < 100)) {
            out.add(new Violation(path + ".reloadInterval", "must be 0 (off) or at least 100ms"));
        }
        return out;
    }

    static void subset(String path, List<String> values, Set<String> allowed, String what, List<Violation> out) {
        if (values.isEmpty()) {
            out.add(new Violation(path, "must not be empty"));
        }
        for (int i = 0; i < values.size(); i++) {
            if (!allowed.contains(values.get(i))) {
                out.add(new Violation(path + "[" + i + "]", "'" + values.get(i) + "' is not allowed; only " + what));
            }
        }
    }

    static boolean isServerNamePattern(String name) {
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (host.isEmpty() || host.length() > 253 || host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
