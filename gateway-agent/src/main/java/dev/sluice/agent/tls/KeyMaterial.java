package dev.sluice.agent.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate chain with its private key, read from PEM files and checked to belong together, so a
 * half-written replacement (new certificate, old key) is refused instead of served.
 */
record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    static KeyMaterial load(Path certificateFile, Path keyFile) throws TlsMaterialException {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key;
        try {
            key = Pem.privateKey(read(keyFile));
        } catch (Pem.PemException e) {
            throw new TlsMaterialException(keyFile + ": " + e.getMessage());
        }
        if (!matches(chain.get(0), key)) {
            throw new TlsMaterialException("the private key " + keyFile + " does not belong to the certificate "
                    + certificateFile);
        }
        return new KeyMaterial(chain, key);
    }

    static List<X509Certificate> certificates(Path file) throws TlsMaterialException {
        try {
            return Pem.certificates(read(file));
        } catch (Pem.PemException e) {
            throw new TlsMaterialException(file + ": " + e.getMessage());
        }
    }

    /** The DNS names a certificate is for: its subjectAltName DNS entries, else its CN. */
    static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String dns) {
                        names.add(dns.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable SAN extension: fall back to the CN below
        }
        if (names.isEmpty()) {
            String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (String part : dn.split(",")) {
                if (part.startsWith("CN=")) {
                    names.add(part.substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    static String read(Path file) throws TlsMaterialException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException("cannot read " + file + ": " + e);
        }
    }

    /** SHA-256 over the named files' bytes, to notice a change of any of them; unreadable files count as empty. */
    static byte[] fingerprint(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    digest.update((byte) 0);
                }
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is available on every Java runtime", e);
        }
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key) throws TlsMaterialException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsMaterialException("unsupported private key type " + key.getAlgorithm());
        };
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "sluice key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
