package dev.sluice.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.agent.discovery.RegistrySettings.ConsulRegistry;
import dev.sluice.agent.discovery.RegistrySettings.ConsulTls;
import dev.sluice.agent.testing.ConsulStandIn;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Consul registry over TLS with a client certificate, against {@link ConsulStandIn} served over
 * HTTPS with client authentication required (no real Consul can be installed on these machines).
 */
class ConsulTlsTest {
  private static final Duration CEILING = Duration.ofSeconds(10);
  @TempDir static Path dir;
  private static Issued ca;
  private static ConsulStandIn consul;

  @BeforeAll
  static void startConsul() throws Exception {
    ca = CertificateFactory.newCa("consul-ca");
    Issued server = CertificateFactory.newServer(ca);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", server.keys().getPrivate(), new char[0],
        new Certificate[] {server.certificate(), ca.certificate()});
    KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyFactory.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustFactory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyFactory.getKeyManagers(), trustFactory.getTrustManagers(), null);
    consul = new ConsulStandIn(context);
    consul.register("users", "users-1", "127.0.0.1", 8081, List.of(), Map.of());
  }

  @AfterAll
  static void stopConsul() {
    consul.close();
  }

  private static ConsulRegistry settings(ConsulTls tls) {
    return ConsulRegistry.at(URI.create(consul.address())).withTls(tls)
        .withTiming(ConsulRegistry.DEFAULT_WAIT, Duration.ofMillis(50), Duration.ofMillis(400));
  }

  @Test
  void listsInstancesOverTlsWithAClientCertificate() {
    Path caFile = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
    PemFiles client = CertificateFactory.newClient(ca, "sluice").writeTo(dir, "client");
    RecordingListener listener = new RecordingListener();

    try (ConsulServiceRegistry registry = new ConsulServiceRegistry("users",
        settings(new ConsulTls(caFile, client.certificate(), client.privateKey())), new SimpleMeterRegistry())) {
      registry.start(listener);

      await().atMost(CEILING).until(() -> listener.ids().equals(List.of("users-1")));
      assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.FRESH);
    }
  }

  @Test
  void withoutAClientCertificateTheAgentRefusesAndTheRegistrySaysSo() {
    Path caFile = CertificateFactory.writeCertificate(dir.resolve("ca-only.pem"), ca.certificate());
    RecordingListener listener = new RecordingListener();

    try (ConsulServiceRegistry registry = new ConsulServiceRegistry("users",
        settings(new ConsulTls(caFile, null, null)), new SimpleMeterRegistry())) {
      registry.start(listener);

      await().atMost(CEILING).until(() -> registry.status().lastError() != null);
      assertThat(registry.instances()).isEmpty();
      assertThat(registry.status().freshness()).isEqualTo(RegistryStatus.Freshness.LOADING);
    }
  }

  @Test
  void anAgentCertificateFromAnotherCaIsNotTrusted() {
    Path otherCa = CertificateFactory.writeCertificate(dir.resolve("other-ca.pem"),
        CertificateFactory.newCa("someone-else").certificate());
    PemFiles client = CertificateFactory.newClient(ca, "sluice").writeTo(dir, "client2");

    try (ConsulServiceRegistry registry = new ConsulServiceRegistry("users",
        settings(new ConsulTls(otherCa, client.certificate(), client.privateKey())), new SimpleMeterRegistry())) {
      registry.start(new RecordingListener());

      await().atMost(CEILING).until(() -> registry.status().lastError() != null);
      assertThat(registry.status().lastError()).containsIgnoringCase("certificat");
    }
  }
}
