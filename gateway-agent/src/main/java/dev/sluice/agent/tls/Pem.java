package dev.sluice.agent.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Reads PEM text: certificate chains, unencrypted PKCS#8 private keys ({@code BEGIN PRIVATE KEY},
 * RSA or EC) and public keys ({@code BEGIN PUBLIC KEY}, or taken from a certificate). Every failure is
 * a {@link PemException} whose message says what to fix, e.g. how to convert a PKCS#1 key.
 */
public final class Pem {

    private Pem() {}

    /** Thrown when PEM text cannot be read; the message is meant for the operator. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }

    /** All certificates in {@code pem}, in file order (leaf first for a chain). */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new PemException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        try {
            Collection<? extends java.security.cert.Certificate> read = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>(read.size());
            for (java.security.cert.Certificate c : read) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new PemException("no certificate could be read");
            }
            return out;
        } catch (CertificateException e) {
            throw new PemException("the certificate cannot be parsed: " + e.getMessage());
        }
    }

    /** An unencrypted PKCS#8 RSA or EC private key. */
    public static PrivateKey privateKey(String pem) throws PemException {
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new PemException("encrypted private keys are not supported; store it unencrypted "
                    + "with restrictive file permissions (openssl pkcs8 -topk8 -nocrypt)");
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new PemException("the key is in PKCS#1/SEC1 form; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem'");
        }
        byte[] der = block(pem, "PRIVATE KEY");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this key type
            }
        }
        throw new PemException("the private key is neither an RSA nor an EC PKCS#8 key");
    }

    /** A public key from {@code BEGIN PUBLIC KEY} (SubjectPublicKeyInfo) or from a certificate. */
    public static PublicKey publicKey(String pem) throws PemException {
        if (pem.contains("-----BEGIN CERTIFICATE-----")) {
            return certificates(pem).get(0).getPublicKey();
        }
        if (pem.contains("-----BEGIN RSA PUBLIC KEY-----")) {
            throw new PemException("the key is in PKCS#1 form; convert it with 'openssl rsa -RSAPublicKey_in -pubout'");
        }
        byte[] der = block(pem, "PUBLIC KEY");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this key type
            }
        }
        throw new PemException("the public key is neither an RSA nor an EC key");
    }

    private static byte[] block(String pem, String label) throws PemException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new PemException("no PEM block '" + begin + "' found");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new PemException("the PEM block '" + label + "' is not valid base64");
        }
    }
}
