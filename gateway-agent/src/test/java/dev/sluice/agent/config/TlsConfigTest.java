package dev.sluice.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import dev.sluice.agent.tls.ClientAuthMode;
import dev.sluice.agent.tls.ListenerTlsSettings;
import dev.sluice.agent.tls.UpstreamTlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {

    @TempDir static Path dir;
    static PemFiles server;
    static PemFiles other;
    static Path ca;

    @BeforeAll
    static void certificates() {
        Issued authority = CertificateFactory.newCa("Config CA");
        ca = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), authority.certificate());
        server = CertificateFactory.newServer(authority).writeTo(dir, "server");
        other = CertificateFactory.newServer(authority, "shop.test", List.of("shop.test"), false).writeTo(dir, "shop");
    }

    private static String config(String listenerTls, String serviceTls) {
        return """
                listeners:
                  - name: secure
                    port: 8443
                    tls: %s
                services:
                  - name: api
                    instances: [{host: localhost, port: 9443}]
                    tls: %s
                routes:
                  - {id: all, match: {path: /*rest}, service: api}
                """.formatted(listenerTls, serviceTls);
    }

    @Test
    void readsListenerAndServiceTlsBlocks() {
        ConfigResult result = ConfigLoader.parse(config("""
                {certificates: [{certificateChain: %s, privateKey: %s},
                                {certificateChain: %s, privateKey: %s, serverNames: ["*.shop.test"]}],
                       clientAuth: optional, clientCaBundle: %s, protocols: [TLSv1.3], alpn: [http/1.1],
                       handshakeTimeout: 5s, reloadInterval: 0}"""
                .formatted(server.certificate(), server.privateKey(), other.certificate(), other.privateKey(), ca),
                "{caBundle: %s, certificateChain: %s, privateKey: %s, serverName: api.internal, verifyHostname: false}"
                        .formatted(ca, server.certificate(), server.privateKey())));

        assertThat(result.violations()).isEmpty();
        ListenerTlsSettings listener = result.orThrow().listeners().get(0).tls();
        assertThat(listener).isNotNull();
        assertThat(listener.certificates()).hasSize(2);
        assertThat(listener.certificates().get(1).serverNames()).containsExactly("*.shop.test");
        assertThat(listener.clientAuth()).isEqualTo(ClientAuthMode.OPTIONAL);
        assertThat(listener.clientCaBundle()).isEqualTo(ca);
        assertThat(listener.protocols()).containsExactly("TLSv1.3");
        assertThat(listener.alpn()).containsExactly("http/1.1");
        assertThat(listener.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(listener.reloadInterval()).isZero();
        UpstreamTlsSettings upstream = result.orThrow().services().get(0).tls();
        assertThat(upstream).isNotNull();
        assertThat(upstream.caBundle()).isEqualTo(ca);
        assertThat(upstream.certificateChain()).isEqualTo(server.certificate());
        assertThat(upstream.serverName()).isEqualTo("api.internal");
        assertThat(upstream.verifyHostname()).isFalse();
    }

    @Test
    void aListenerWithoutTlsIsPlaintextWithDefaults() {
        ConfigResult result = ConfigLoader.parse("""
                listeners: [{name: public, port: 8080}]
                services: [{name: api, instances: [{host: localhost, port: 9000}]}]
                routes: [{id: all, match: {path: /*rest}, service: api}]
                """);

        assertThat(result.violations()).isEmpty();
        assertThat(result.orThrow().listeners().get(0).tls()).isNull();
        assertThat(result.orThrow().services().get(0).tls()).isNull();
    }

    @Test
    void reportsEveryMisshapenFieldWithItsPath() {
        ConfigResult result = ConfigLoader.parse(config(
                "{certificates: [{certificateChain: /x.pem}], clientAuth: sometimes, protocols: [TLSv1.1], "
                        + "ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA], reloadInterval: soon, ocsp: true}",
                "{certificateChain: /gw.pem, serverName: '*.wild', verifyHostname: maybe}"));

        assertThat(result.violations()).extracting(Violation::toString).contains(
                "listeners[0].tls.certificates[0].privateKey: is required (a PEM file)",
                "listeners[0].tls.clientAuth: unknown value 'sometimes' (known: none, optional, require)",
                "listeners[0].tls.reloadInterval: 'soon' is not a duration (use a number and a unit: 500ms, 2s, 1m, 1h)",
                "listeners[0].tls.ocsp: unknown field 'ocsp'",
                "services[0].tls.verifyHostname: must be true or false",
                "services[0].tls.privateKey: a client certificate needs both certificateChain and privateKey",
                "services[0].tls.serverName: '*.wild' is not a host name");
    }

    @Test
    void refusesLegacyProtocolsWeakCiphersAndClientAuthWithoutCa() {
        ConfigResult result = ConfigLoader.parse(config(
                "{certificates: [{certificateChain: %s, privateKey: %s}], clientAuth: require, protocols: [TLSv1.2, TLSv1.1], ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA]}"
                        .formatted(server.certificate(), server.privateKey()),
                "{caBundle: %s}".formatted(ca)));

        assertThat(result.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "listeners[0].tls.clientCaBundle", "listeners[0].tls.protocols[1]", "listeners[0].tls.ciphers[0]");
    }

    @Test
    void namesTheBlockWhoseFilesCannotBeUsed() {
        ConfigResult result = ConfigLoader.parse(config(
                "{certificates: [{certificateChain: %s, privateKey: %s}]}".formatted(server.certificate(), other.privateKey()),
                "{caBundle: %s}".formatted(dir.resolve("missing-ca.pem"))));

        assertThat(result.ok()).isFalse();
        assertThat(result.violations()).extracting(Violation::path)
                .containsExactlyInAnyOrder("listeners[0].tls", "services[0].tls");
        assertThat(result.violations().get(0).message()).contains("does not belong");
        assertThat(result.violations().get(1).message()).contains("missing-ca.pem");
    }
}
