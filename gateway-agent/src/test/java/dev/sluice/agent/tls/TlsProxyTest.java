package dev.sluice.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import dev.sluice.agent.testing.tls.HttpsBackend;
import dev.sluice.agent.testing.tls.TlsClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS through a whole agent: listeners terminating TLS (SNI, reload, client certificates) in front
 * of a plaintext backend, and a service reached over TLS (CA bundle, client certificate, host name).
 */
class TlsProxyTest {

    @TempDir static Path dir;
    static Issued ca;
    static Issued otherCa;
    static PemFiles defaultCert;
    static TestBackend plain;
    static HttpsBackend secured;
    static TestAgent agent;

    @BeforeAll
    static void start() throws Exception {
        ca = CertificateFactory.newCa("Gateway Test CA");
        otherCa = CertificateFactory.newCa("Stranger CA");
        Path caPem = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        Path otherCaPem = CertificateFactory.writeCertificate(dir.resolve("other-ca.pem"), otherCa.certificate());
        defaultCert = CertificateFactory.newServer(ca).writeTo(dir, "default");
        PemFiles shop = CertificateFactory.newServer(ca, "shop.test", List.of("shop.test"), true).writeTo(dir, "shop");
        PemFiles gateway = CertificateFactory.newClient(ca, "gateway").writeTo(dir, "gateway");
        plain = TestBackend.start("plain");
        secured = HttpsBackend.start("secured", CertificateFactory.newServer(ca), ca.certificate());
        agent = TestAgent.start("""
                agent: {id: tls-agent, cluster: test}
                listeners:
                  - name: secure
                    host: 127.0.0.1
                    port: 0
                    tls:
                      certificates:
                        - {certificateChain: %1$s, privateKey: %2$s}
                        - {certificateChain: %3$s, privateKey: %4$s}
                      reloadInterval: 100ms
                  - name: mutual
                    host: 127.0.0.1
                    port: 0
                    tls:
                      certificates: [{certificateChain: %1$s, privateKey: %2$s}]
                      clientAuth: require
                      clientCaBundle: %5$s
                services:
                  - name: plain
                    instances: [{host: 127.0.0.1, port: %6$d}]
                  - name: secured
                    instances: [{host: localhost, port: %7$d}]
                    tls: {caBundle: %5$s, certificateChain: %8$s, privateKey: %9$s}
                  - name: untrusted
                    instances: [{host: localhost, port: %7$d}]
                    tls: {caBundle: %10$s}
                  - name: wrong-name
                    instances: [{host: localhost, port: %7$d}]
                    tls: {caBundle: %5$s, certificateChain: %8$s, privateKey: %9$s, serverName: elsewhere.test}
                routes:
                  - {id: plain, match: {path: /plain/*rest}, service: plain}
                  - {id: secured, match: {path: /secured/*rest}, service: secured}
                  - {id: untrusted, match: {path: /untrusted/*rest}, service: untrusted}
                  - {id: wrong-name, match: {path: /wrong-name/*rest}, service: wrong-name}
                """.formatted(defaultCert.certificate(), defaultCert.privateKey(), shop.certificate(), shop.privateKey(),
                caPem, plain.port(), secured.port(), gateway.certificate(), gateway.privateKey(), otherCaPem));
    }

    @AfterAll
    static void stop() {
        agent.close();
        plain.close();
        secured.close();
    }

    private static int securePort() {
        return agent.runtime().proxyAddresses().get(0).getPort();
    }

    private static int mutualPort() {
        return agent.runtime().proxyAddresses().get(1).getPort();
    }

    private static HttpResponse<String> get(SSLContext context, String protocol, int port, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .sslParameters(TlsClients.protocols(context, protocol))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void proxiesOverTlsAndTellsTheUpstreamTheClientUsedHttps(String protocol) throws Exception {
        plain.clear();

        HttpResponse<String> response = get(TlsClients.context(ca.certificate(), null), protocol, securePort(), "/plain/hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("plain GET /plain/hello");
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo(protocol));
        assertThat(plain.received()).singleElement().satisfies(r ->
                assertThat(r.header("x-forwarded-proto")).isEqualTo("https"));
    }

    @Test
    void choosesTheCertificateByServerName() throws Exception {
        // A context per connection: the JDK client would otherwise resume the first session.
        TlsClients.Exchange shop = TlsClients.get(TlsClients.context(ca.certificate(), null), securePort(), "shop.test",
                List.of("TLSv1.3"), List.of(), "/plain/x");
        TlsClients.Exchange unknown = TlsClients.get(TlsClients.context(ca.certificate(), null), securePort(), "nobody.test",
                List.of("TLSv1.3"), List.of(), "/plain/x");
        TlsClients.Exchange none = TlsClients.get(TlsClients.context(ca.certificate(), null), securePort(), null,
                List.of("TLSv1.2"), List.of(), "/plain/x");

        assertThat(shop.serverSubject()).isEqualTo("CN=shop.test");
        assertThat(shop.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(unknown.serverSubject()).isEqualTo(defaultSubject());
        assertThat(none.serverSubject()).isEqualTo(defaultSubject());
        assertThat(none.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    }

    /** The default certificate's subject: the renewal test may have replaced it already. */
    private static String defaultSubject() {
        return defaultRenewed ? "CN=renewed" : "CN=localhost";
    }

    static volatile boolean defaultRenewed;

    @Test
    void servesARenewedCertificateWithoutARestart() throws Exception {
        PemFiles renewed = CertificateFactory.newServer(ca, "renewed", List.of("localhost"), false).writeTo(dir, "renewed");

        // Key first, then certificate, each by rename: the half-done pair in between is refused and the old one stays.
        Files.move(renewed.privateKey(), defaultCert.privateKey(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(renewed.certificate(), defaultCert.certificate(), StandardCopyOption.REPLACE_EXISTING);

        defaultRenewed = true;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TlsClients.get(TlsClients.context(ca.certificate(), null), securePort(), null, List.of("TLSv1.3"),
                        List.of(), "/plain/x").serverSubject()).isEqualTo("CN=renewed"));
        assertThat(get(TlsClients.context(ca.certificate(), null), "TLSv1.3", securePort(), "/plain/after").statusCode())
                .isEqualTo(200);
    }

    @Test
    void mutualListenerServesAClientWithACertificateFromItsCa() throws Exception {
        Issued alice = CertificateFactory.newClient(ca, "alice");

        HttpResponse<String> response = get(TlsClients.context(ca.certificate(), alice), "TLSv1.3", mutualPort(), "/plain/m");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void mutualListenerRefusesClientsWithoutAVerifiedCertificate() {
        Issued stranger = CertificateFactory.newClient(otherCa, "mallory");

        for (SSLContext context : List.of(TlsClients.context(ca.certificate(), null),
                TlsClients.context(ca.certificate(), stranger))) {
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                assertThatThrownBy(() -> get(context, protocol, mutualPort(), "/plain/m"))
                        .as(protocol).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void reachesATlsUpstreamWithTheServicesCaAndClientCertificate() throws Exception {
        HttpResponse<String> response = get(TlsClients.context(ca.certificate(), null), "TLSv1.3", securePort(), "/secured/x");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("secured CN=gateway https");
    }

    @Test
    void answers502WhenTheUpstreamCertificateIsNotTrustedOrNamesAnotherHost() throws Exception {
        SSLContext context = TlsClients.context(ca.certificate(), null);

        HttpResponse<String> untrusted = get(context, "TLSv1.3", securePort(), "/untrusted/x");
        HttpResponse<String> wrongName = get(context, "TLSv1.3", securePort(), "/wrong-name/x");

        assertThat(untrusted.statusCode()).isEqualTo(502);
        assertThat(untrusted.body()).contains("cannot connect to upstream");
        assertThat(wrongName.statusCode()).isEqualTo(502);
    }
}
