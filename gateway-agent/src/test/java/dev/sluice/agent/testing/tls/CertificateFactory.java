package dev.sluice.agent.testing.tls;

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
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates TLS and mTLS tests need, at run time: a CA, a server certificate for
 * 127.0.0.1 / localhost, client certificates (also expired ones), written as PEM files. EC P-256
 * keys keep generation fast. Every test gets fresh material; nothing is checked in.
 */
public final class CertificateFactory {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateFactory() {}

  /** A certificate with its key pair; {@code certificate} is signed by its issuer. */
  public record Issued(X509Certificate certificate, KeyPair keys) {

    /** Writes {@code <name>.crt.pem} and {@code <name>.key.pem} (PKCS#8) into {@code dir}. */
    public PemFiles writeTo(Path dir, String name) {
      Path cert = dir.resolve(name + ".crt.pem");
      Path key = dir.resolve(name + ".key.pem");
      writePem(cert, certificate);
      try {
        writePem(key, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new PemFiles(cert, key);
    }
  }

  /** Paths of a certificate and its private key in PEM. */
  public record PemFiles(Path certificate, Path privateKey) {}

  /** A self-signed CA valid from an hour ago for a year. */
  public static Issued newCa(String commonName) {
    KeyPair keys = newKeys();
    return sign(commonName, keys.getPublic(), commonName, keys, Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(365)), Kind.CA);
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by {@code ca}. */
  public static Issued newServer(Issued ca) {
    return issue(ca, "localhost", Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(30)), Kind.SERVER);
  }

  /** A client certificate with subject {@code CN=<commonName>}, valid now, signed by {@code ca}. */
  public static Issued newClient(Issued ca, String commonName) {
    return issue(ca, commonName, Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(30)), Kind.CLIENT);
  }

  /** A client certificate signed by {@code ca} that expired a day ago. */
  public static Issued newExpiredClient(Issued ca, String commonName) {
    return issue(ca, commonName, Instant.now().minus(Duration.ofDays(30)),
        Instant.now().minus(Duration.ofDays(1)), Kind.CLIENT);
  }

  /**
   * A server certificate with subject {@code CN=<commonName>} for the given DNS names (wildcards such
   * as {@code *.shop.test} allowed) and 127.0.0.1, signed by {@code ca}; an RSA 2048 key when
   * {@code rsa}, else EC P-256.
   */
  public static Issued newServer(Issued ca, String commonName, List<String> dnsNames, boolean rsa) {
    KeyPair keys = rsa ? newRsaKeys() : newKeys();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name(ca.certificate().getSubjectX500Principal().getName()),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(Instant.now().minus(Duration.ofHours(1))),
          Date.from(Instant.now().plus(Duration.ofDays(30))), new X500Name("CN=" + commonName), keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(ca.keys().getPublic()));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      GeneralName[] names = new GeneralName[dnsNames.size() + 1];
      for (int i = 0; i < dnsNames.size(); i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
      }
      names[dnsNames.size()] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
      return new Issued(certificate, keys);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("could not make a test certificate for " + commonName, e);
    }
  }

  /** Writes a certificate chain (leaf first) as one PEM file. */
  public static Path writeChain(Path file, X509Certificate... chain) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : chain) {
        pem.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static KeyPair newRsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is available on every Java runtime", e);
    }
  }

  /** Writes a certificate alone as PEM (e.g. a CA bundle). */
  public static Path writeCertificate(Path file, X509Certificate certificate) {
    writePem(file, certificate);
    return file;
  }

  private enum Kind { CA, SERVER, CLIENT }

  private static Issued issue(Issued ca, String commonName, Instant from, Instant to, Kind kind) {
    KeyPair keys = newKeys();
    String issuer = ca.certificate().getSubjectX500Principal().getName();
    Issued signed = sign(issuer, keys.getPublic(), commonName, ca.keys(), from, to, kind);
    return new Issued(signed.certificate(), keys);
  }

  private static Issued sign(String issuerDn, java.security.PublicKey subjectKey, String commonName,
      KeyPair signer, Instant from, Instant to, Kind kind) {
    try {
      X500Name issuer = new X500Name(issuerDn.contains("=") ? issuerDn : "CN=" + issuerDn);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
          new X500Name("CN=" + commonName), subjectKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(signer.getPublic()));
      switch (kind) {
        case CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case SERVER -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
          builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        case CLIENT -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
      }
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
      return new Issued(certificate, signer);
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

  private static void writePem(Path file, Object object) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
