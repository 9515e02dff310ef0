package dev.sluice.agent.tls;

import java.util.List;
import java.util.Set;

/**
 * The protocol versions, cipher suites and ALPN names Sluice allows. Settings may narrow these lists,
 * never widen them: only TLS 1.2 and 1.3, and for TLS 1.2 only ECDHE key exchange with AEAD ciphers.
 */
public final class TlsDefaults {

    public static final String TLS_1_3 = "TLSv1.3";
    public static final String TLS_1_2 = "TLSv1.2";
    public static final List<String> PROTOCOLS = List.of(TLS_1_3, TLS_1_2);

    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public static final String H2 = "h2";
    public static final String HTTP_1_1 = "http/1.1";
    public static final List<String> ALPN = List.of(H2, HTTP_1_1);

    static final Set<String> ALLOWED_PROTOCOLS = Set.copyOf(PROTOCOLS);
    static final Set<String> ALLOWED_CIPHERS = Set.copyOf(CIPHERS);
    static final Set<String> ALLOWED_ALPN = Set.copyOf(ALPN);

    private TlsDefaults() {}
}
