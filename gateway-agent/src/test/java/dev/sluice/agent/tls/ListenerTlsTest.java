package dev.sluice.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import dev.sluice.agent.tls.ListenerTlsSettings.CertificateSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerTlsTest {

    static final Set<String> SERVED = Set.of("h2", "http/1.1");

    @TempDir static Path shared;
    @TempDir Path dir;

    static Issued ca;
    static Issued otherCa;
    static PemFiles defaultCert;
    static PemFiles apiCert;
    static PemFiles shopCert;
    static Path caBundle;

    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = CertificateFactory.newCa("Sluice Listener CA");
        otherCa = CertificateFactory.newCa("Someone Else CA");
        caBundle = CertificateFactory.writeCertificate(shared.resolve("ca.pem"), ca.certificate());
        defaultCert = CertificateFactory.newServer(ca, "default.test", List.of("default.test"), false).writeTo(shared, "default");
        apiCert = CertificateFactory.newServer(ca, "api.example.test", List.of("api.example.test"), true).writeTo(shared, "api");
        shopCert = CertificateFactory.newServer(ca, "shop", List.of("*.shop.example.test"), false).writeTo(shared, "shop");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    ListenerTls start(ListenerTlsSettings settings, Set<String> served) {
        ListenerTls.Result result = ListenerTls.start(settings, "listeners[0].tls", served);
        assertThat(result.violations()).isEmpty();
        closeAfter.add(result.tls());
        return result.tls();
    }

    int serve(ListenerTls tls) throws InterruptedException {
        TlsTestServer server = TlsTestServer.of(tls);
        closeAfter.add(server);
        return server.port();
    }

    static CertificateSettings cert(PemFiles files) {
        return new CertificateSettings(files.certificate(), files.privateKey());
    }

    static ListenerTlsSettings threeCertificates() {
        return ListenerTlsSettings.of(List.of(cert(defaultCert), cert(apiCert), cert(shopCert)));
    }

    JdkTlsClient client() throws Exception {
        return new JdkTlsClient(ca.certificate(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakesWithModernProtocolsUsingAnAeadSuite(String protocol) throws Exception {
        int port = serve(start(threeCertificates(), SERVED));

        JdkTlsClient.Outcome outcome = client().protocols(protocol).connect(port);

        assertThat(outcome.protocol()).isEqualTo(protocol);
        assertThat(outcome.line()).startsWith("ok " + protocol);
        assertThat(TlsDefaults.CIPHERS).contains(outcome.cipherSuite());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1"})
    void refusesLegacyProtocols(String protocol) throws Exception {
        int port = serve(start(threeCertificates(), SERVED));

        assertThatThrownBy(() -> client().protocols(protocol).connect(port)).isInstanceOf(IOException.class);
    }

    @Test
    void tls12OffersOnlyEcdheAeadSuites() {
        ListenerTls tls = start(threeCertificates(), SERVED);

        List<String> suites = tls.context(null).cipherSuites();

        assertThat(suites).isNotEmpty().allSatisfy(suite -> assertThat(suite).matches(
                "TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256|ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256))"));
    }

    @Test
    void sniSelectsTheCertificateForTheNameAndUnknownOrMissingNamesGetTheDefault() throws Exception {
        int port = serve(start(threeCertificates(), SERVED));

        assertThat(client().serverName("api.example.test").connect(port).serverSubject()).isEqualTo("CN=api.example.test");
        assertThat(client().serverName("eu.shop.example.test").connect(port).serverSubject()).isEqualTo("CN=shop");
        assertThat(client().serverName("unknown.test").connect(port).serverSubject()).isEqualTo("CN=default.test");
        assertThat(client().serverName(null).connect(port).serverSubject()).isEqualTo("CN=default.test");
    }

    @Test
    void anRsaCertificateServesTls12WithAnEcdheRsaSuite() throws Exception {
        int port = serve(start(threeCertificates(), SERVED));

        JdkTlsClient.Outcome outcome = client().protocols("TLSv1.2").serverName("api.example.test").connect(port);

        assertThat(outcome.serverSubject()).isEqualTo("CN=api.example.test");
        assertThat(outcome.protocol()).isEqualTo("TLSv1.2");
        assertThat(outcome.cipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_").containsAnyOf("_GCM_", "_CHACHA20_POLY1305_");
    }

    @Test
    void alpnOffersH2OnlyWhenThePipelineServesIt() throws Exception {
        int both = serve(start(threeCertificates(), SERVED));
        int http1Only = serve(start(threeCertificates(), Set.of("http/1.1")));

        assertThat(client().alpn("h2", "http/1.1").connect(both).applicationProtocol()).isEqualTo("h2");
        assertThat(client().alpn("h2", "http/1.1").connect(http1Only).applicationProtocol()).isEqualTo("http/1.1");
        assertThat(client().connect(both).line()).startsWith("ok TLSv1.3 -");
        assertThatThrownBy(() -> client().alpn("spdy/3").connect(both)).isInstanceOf(IOException.class);
    }

    @Test
    void aChangedCertificateIsServedToNewHandshakesWithoutARestart() throws Exception {
        PemFiles live = copy(defaultCert, "live");
        ListenerTls tls = start(ListenerTlsSettings.of(List.of(cert(live))).withReloadInterval(Duration.ofMillis(100)), SERVED);
        int port = serve(tls);
        assertThat(client().connect(port).serverSubject()).isEqualTo("CN=default.test");

        PemFiles renewed = CertificateFactory.newServer(ca, "renewed.test", List.of("renewed.test"), false).writeTo(dir, "renewed");
        replace(renewed, live);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(client().connect(port).serverSubject()).isEqualTo("CN=renewed.test"));
        assertThat(tls.generation()).isEqualTo(2);
    }

    @Test
    void aBrokenReplacementKeepsTheCurrentCertificateUntilAUsableOneArrives() throws Exception {
        PemFiles live = copy(defaultCert, "live");
        ListenerTls tls = start(ListenerTlsSettings.of(List.of(cert(live))).withReloadInterval(Duration.ZERO), SERVED);
        int port = serve(tls);

        // Only the certificate replaced: it no longer matches the key on disk.
        PemFiles renewed = CertificateFactory.newServer(ca, "renewed.test", List.of("renewed.test"), false).writeTo(dir, "renewed");
        Files.copy(renewed.certificate(), live.certificate(), StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(client().connect(port).serverSubject()).isEqualTo("CN=default.test");

        Files.writeString(live.certificate(), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(client().connect(port).serverSubject()).isEqualTo("CN=default.test");

        replace(renewed, live);
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(client().connect(port).serverSubject()).isEqualTo("CN=renewed.test");
        assertThat(tls.generation()).isEqualTo(2);
    }

    @Test
    void requiredClientCertificatesAcceptOnlyCertificatesFromTheCa() throws Exception {
        ListenerTls tls = start(threeCertificates().withClientAuth(ClientAuthMode.REQUIRE, caBundle), SERVED);
        int port = serve(tls);
        Issued alice = CertificateFactory.newClient(ca, "alice");
        Issued stranger = CertificateFactory.newClient(otherCa, "alice");
        Issued expired = CertificateFactory.newExpiredClient(ca, "alice");

        assertThat(new JdkTlsClient(ca.certificate(), alice).connect(port).line()).endsWith("CN=alice");
        assertThatThrownBy(() -> new JdkTlsClient(ca.certificate(), null).connect(port)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new JdkTlsClient(ca.certificate(), stranger).connect(port)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new JdkTlsClient(ca.certificate(), expired).connect(port)).isInstanceOf(IOException.class);
    }

    @Test
    void optionalClientCertificatesAllowNoneButStillRefuseUntrustedOnes() throws Exception {
        ListenerTls tls = start(threeCertificates().withClientAuth(ClientAuthMode.OPTIONAL, caBundle), SERVED);
        int port = serve(tls);

        assertThat(new JdkTlsClient(ca.certificate(), null).connect(port).line()).endsWith(" none");
        assertThat(new JdkTlsClient(ca.certificate(), CertificateFactory.newClient(ca, "bob")).connect(port).line())
                .endsWith("CN=bob");
        assertThatThrownBy(() -> new JdkTlsClient(ca.certificate(), CertificateFactory.newClient(otherCa, "bob")).connect(port))
                .isInstanceOf(IOException.class);
    }

    @Test
    void settingsReportEveryProblemWithItsPath() {
        ListenerTlsSettings bad = new ListenerTlsSettings(List.of(new CertificateSettings(dir.resolve("a.pem"),
                dir.resolve("a.key"), List.of("ok.test", "bad name"))), ClientAuthMode.REQUIRE, null,
                List.of("TLSv1.2", "TLSv1.1"), List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), List.of("spdy/3"),
                Duration.ofSeconds(5), Duration.ofMillis(5));

        assertThat(bad.validate("l.tls")).extracting(Violation::path).containsExactlyInAnyOrder(
                "l.tls.certificates[0].serverNames", "l.tls.clientCaBundle", "l.tls.protocols[1]", "l.tls.ciphers[0]",
                "l.tls.alpn[0]", "l.tls.reloadInterval");
    }

    @Test
    void unreadableOrMismatchedFilesAreViolationsNamingTheFile() throws Exception {
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        ListenerTls.Result missing = ListenerTls.start(ListenerTlsSettings.of(List.of(
                new CertificateSettings(dir.resolve("nope.pem"), defaultCert.privateKey()))), "t", SERVED);
        ListenerTls.Result mismatched = ListenerTls.start(ListenerTlsSettings.of(List.of(
                new CertificateSettings(apiCert.certificate(), defaultCert.privateKey()))), "t", SERVED);
        ListenerTls.Result oldKeyFormat = ListenerTls.start(ListenerTlsSettings.of(List.of(
                new CertificateSettings(apiCert.certificate(), pkcs1))), "t", SERVED);

        assertThat(missing.tls()).isNull();
        assertThat(missing.violations()).singleElement().extracting(Violation::message).asString().contains("nope.pem");
        assertThat(mismatched.violations()).singleElement().extracting(Violation::message).asString()
                .contains("does not belong to the certificate");
        assertThat(oldKeyFormat.violations()).singleElement().extracting(Violation::message).asString()
                .contains("openssl pkcs8 -topk8");
    }

    private PemFiles copy(PemFiles from, String name) throws IOException {
        PemFiles to = new PemFiles(dir.resolve(name + ".crt.pem"), dir.resolve(name + ".key.pem"));
        Files.copy(from.certificate(), to.certificate());
        Files.copy(from.privateKey(), to.privateKey());
        return to;
    }

    /** Replaces the live files the way deployment tools do: write aside, then rename over (key first). */
    private static void replace(PemFiles from, PemFiles live) throws IOException {
        Path keyTmp = live.privateKey().resolveSibling(live.privateKey().getFileName() + ".tmp");
        Path certTmp = live.certificate().resolveSibling(live.certificate().getFileName() + ".tmp");
        Files.copy(from.privateKey(), keyTmp, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(from.certificate(), certTmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyTmp, live.privateKey(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certTmp, live.certificate(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
