package dev.sluice.agent.tls;

import dev.sluice.agent.tls.ListenerTlsSettings.CertificateSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Run in its own JVM by {@link LegacyProtocolRefusalTest}: lifts the JDK's own ban on TLS 1.0/1.1
 * (which would otherwise refuse them before Sluice's settings are even consulted), proves with a
 * control server that this JVM can speak TLS 1.1, then probes a Sluice listener. Prints
 * {@code name=outcome} lines.
 */
public final class LegacyProtocolProbe {

    private LegacyProtocolProbe() {}

    public static void main(String[] args) throws Exception {
        Security.setProperty("jdk.tls.disabledAlgorithms", "SSLv3, RC4, DES, NULL, anon");
        Path ca = Path.of(args[0]);
        Path cert = Path.of(args[1]);
        Path key = Path.of(args[2]);
        X509Certificate trusted = Pem.certificates(Files.readString(ca)).get(0);

        SslContext permissive = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .sslProvider(SslProvider.JDK).protocols("TLSv1.1", "TLSv1.2")
                .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .build();
        ListenerTls sluice = ListenerTls.start(ListenerTlsSettings.of(List.of(new CertificateSettings(cert, key)))
                .withReloadInterval(java.time.Duration.ZERO), "probe", Set.of("http/1.1")).tls();
        try (TlsTestServer control = new TlsTestServer(() -> permissive.newHandler(ByteBufAllocator.DEFAULT));
                TlsTestServer server = TlsTestServer.of(sluice)) {
            System.out.println("control11=" + attempt(trusted, "TLSv1.1", control.port()));
            System.out.println("sluice11=" + attempt(trusted, "TLSv1.1", server.port()));
            System.out.println("sluice10=" + attempt(trusted, "TLSv1", server.port()));
            System.out.println("sluice12=" + attempt(trusted, "TLSv1.2", server.port()));
        } finally {
            sluice.close();
        }
    }

    private static String attempt(X509Certificate trusted, String protocol, int port) throws Exception {
        try {
            return "ok:" + new JdkTlsClient(trusted, null).protocols(protocol).connect(port).protocol();
        } catch (IOException e) {
            return "refused:" + e;
        }
    }
}
