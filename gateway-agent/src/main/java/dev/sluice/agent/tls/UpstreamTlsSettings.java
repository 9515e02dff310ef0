package dev.sluice.agent.tls;

import dev.sluice.agent.config.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * TLS towards one upstream service. A null {@code caBundle} trusts the JVM's default CAs. {@code
 * serverName} is sent as SNI and checked against the certificate instead of the instance's host
 * (useful when instances are addressed by IP). {@code verifyHostname: false} skips the name check —
 * the chain is still verified; use it only for upstreams with certificates you cannot fix.
 */
public record UpstreamTlsSettings(
        @Nullable Path caBundle,
        @Nullable Path certificateChain,
        @Nullable Path privateKey,
        boolean verifyHostname,
        @Nullable String serverName,
        List<String> protocols,
        List<String> ciphers) {

    public UpstreamTlsSettings {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /** Defaults: the given CA bundle (null for the JVM's), no client certificate, host names verified. */
    public static UpstreamTlsSettings trusting(@Nullable Path caBundle) {
        return new UpstreamTlsSettings(caBundle, null, null, true, null, TlsDefaults.PROTOCOLS, TlsDefaults.CIPHERS);
    }

    public UpstreamTlsSettings withClientCertificate(Path chain, Path key) {
        return new UpstreamTlsSettings(caBundle, chain, key, verifyHostname, serverName, protocols, ciphers);
    }

    public UpstreamTlsSettings withServerName(@Nullable String name) {
        return new UpstreamTlsSettings(caBundle, certificateChain, privateKey, verifyHostname, name, protocols, ciphers);
    }

    public UpstreamTlsSettings withVerifyHostname(boolean verify) {
        return new UpstreamTlsSettings(caBundle, certificateChain, privateKey, verify, serverName, protocols, ciphers);
    }

    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if ((certificateChain == null) != (privateKey == null)) {
            out.add(new Violation(path + (certificateChain == null ? ".certificateChain" : ".privateKey"),
                    "a client certificate needs both certificateChain and privateKey"));
        }
        if (serverName != null && (serverName.startsWith("*.") || !ListenerTlsSettings.isServerNamePattern(serverName))) {
            out.add(new Violation(path + ".serverName", "'" + serverName + "' is not a host name"));
        }
        ListenerTlsSettings.subset(path + ".protocols", protocols, TlsDefaults.ALLOWED_PROTOCOLS, "TLSv1.3 and TLSv1.2", out);
        ListenerTlsSettings.subset(path + ".ciphers", ciphers, TlsDefaults.ALLOWED_CIPHERS,
                "the suites in TlsDefaults.CIPHERS (ECDHE with AEAD)", out);
        return out;
    }
}
