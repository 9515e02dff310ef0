package dev.sluice.console.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes fresh TLS material for one test into a directory as PEM: a CA ({@code ca.crt.pem}), a
 * server certificate for 127.0.0.1/localhost ({@code server.*.pem}) and client certificates
 * ({@code <name>.crt.pem}, {@code <name>.key.pem}, subject {@code CN=<name>}). EC P-256 keeps it fast.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final KeyPair caKeys = newKeys();

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA and the server certificate in {@code dir}. */
  public static TestCertificates in(Path dir) {
    TestCertificates certificates = new TestCertificates(dir);
    certificates.write("ca", certificates.caKeys, "sluice-test-ca", Kind.CA, false);
    certificates.write("server", newKeys(), "localhost", Kind.SERVER, true);
    return certificates;
  }

  /** Makes a client certificate {@code CN=<name>} signed by the CA. */
  public void client(String name) {
    write(name, newKeys(), name, Kind.CLIENT, true);
  }

  public Path ca() {
    return dir.resolve("ca.crt.pem");
  }

  public Path certificate(String name) {
    return dir.resolve(name + ".crt.pem");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key.pem");
  }

  private enum Kind { CA, SERVER, CLIENT }

  private void write(String file, KeyPair keys, String commonName, Kind kind, boolean withKey) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name("CN=sluice-test-ca"), BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(Instant.now().minus(Duration.ofHours(1))),
          Date.from(Instant.now().plus(Duration.ofDays(30))), new X500Name("CN=" + commonName),
          keys.getPublic());
      switch (kind) {
        case CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case SERVER -> {
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
          builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        case CLIENT -> builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
      pem(dir.resolve(file + ".crt.pem"), certificate);
      if (withKey) {
        pem(dir.resolve(file + ".key.pem"),
            new JcaPKCS8Generator(keys.getPrivate(), null).generate());
      }
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("could not make a test certificate for " + commonName, e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is available on every Java runtime", e);
    }
  }

  private static void pem(Path file, Object object) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
