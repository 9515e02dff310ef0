package dev.sluice.agent.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The JDK TLS objects OkHttp needs for a Consul agent, built from PEM files: a CA bundle (one or more
 * certificates) and an optional client certificate chain with its unencrypted PKCS#8 key (RSA or EC).
 */
record TlsMaterial(SSLContext context, X509TrustManager trustManager) {

  static TlsMaterial load(RegistrySettings.ConsulTls tls) throws IOException, GeneralSecurityException {
    TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (tls.caFile() != null) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates(tls.caFile())) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new GeneralSecurityException("no certificate in " + tls.caFile());
      }
      trustFactory.init(trust);
    } else {
      trustFactory.init((KeyStore) null);
    }
    X509TrustManager trustManager = null;
    for (TrustManager manager : trustFactory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        trustManager = x509;
      }
    }
    if (trustManager == null) {
      throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }
    KeyManager @Nullable [] keyManagers = null;
    if (tls.certFile() != null && tls.keyFile() != null) {
      char[] password = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      Collection<? extends Certificate> chain = certificates(tls.certFile());
      keys.setKeyEntry("client", privateKey(tls.keyFile()), password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyFactory.init(keys, password);
      keyManagers = keyFactory.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, new TrustManager[] {trustManager}, null);
    return new TlsMaterial(context, trustManager);
  }

  private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key (\"BEGIN PRIVATE KEY\")");
    }
    String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // the next algorithm may fit
      }
    }
    throw new GeneralSecurityException(file + " holds a key that is neither RSA, EC nor Ed25519");
  }
}
