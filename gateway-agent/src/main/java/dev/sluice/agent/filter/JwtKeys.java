package dev.sluice.agent.filter;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.tls.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The verification keys of a {@code jwt-auth} filter, each bound to exactly one algorithm by its key
 * type: an HMAC secret only verifies HS256, an RSA key only RS256, an EC P-256 key only ES256. That
 * binding is what refuses algorithm confusion (an HS256 token "signed" with an RSA public key).
 * Immutable; built at chain build or JWKS reload time, never on the event loop.
 */
record JwtKeys(List<VerificationKey> keys) {

    static final int MIN_RSA_BITS = 2048;

    /** One key with the single algorithm it may verify. */
    record VerificationKey(@Nullable String kid, JWSAlgorithm algorithm, JWSVerifier verifier) {}

    JwtKeys {
        keys = List.copyOf(keys);
    }

    /** Builds the inline keys and reads the JWKS file, reporting every unusable key as a violation. */
    static JwtKeys load(JwtAuthSettings settings, String path, List<Violation> violations) {
        List<VerificationKey> keys = new ArrayList<>();
        for (int i = 0; i < settings.keys().size(); i++) {
            JwtAuthSettings.Key key = settings.keys().get(i);
            String keyPath = path + ".keys[" + i + "]";
            try {
                if (key.secret() != null) {
                    keys.add(new VerificationKey(key.kid(), JWSAlgorithm.HS256,
                            new MACVerifier(key.secret().getBytes(StandardCharsets.UTF_8))));
                } else if (key.publicKey() != null) {
                    keys.add(publicKey(key.kid(), Pem.publicKey(key.publicKey()), keyPath + ".publicKey"));
                }
            } catch (Pem.PemException e) {
                violations.add(new Violation(keyPath + ".publicKey", e.getMessage()));
            } catch (UnusableKey e) {
                violations.add(new Violation(e.path, e.getMessage()));
            } catch (JOSEException e) {
                violations.add(new Violation(keyPath, "unusable key: " + e.getMessage()));
            }
        }
        if (settings.jwksFile() != null) {
            String filePath = path + ".jwksFile";
            try {
                JWKSet set = JWKSet.parse(Files.readString(settings.jwksFile(), StandardCharsets.UTF_8));
                if (set.getKeys().isEmpty()) {
                    violations.add(new Violation(filePath, "the JWKS file " + settings.jwksFile() + " holds no keys"));
                }
                for (int i = 0; i < set.getKeys().size(); i++) {
                    fromJwk(set.getKeys().get(i), filePath + "[" + i + "]", keys, violations);
                }
            } catch (IOException e) {
                violations.add(new Violation(filePath, "cannot read " + settings.jwksFile() + ": " + e.getMessage()));
            } catch (ParseException e) {
                violations.add(new Violation(filePath, settings.jwksFile() + " is not a JWK set: " + e.getMessage()));
            }
        }
        JwtKeys result = new JwtKeys(keys);
        for (int i = 0; i < settings.algorithms().size(); i++) {
            String name = settings.algorithms().get(i);
            if (JwtAuthSettings.SUPPORTED_ALGORITHMS.contains(name) && !result.supports(JWSAlgorithm.parse(name))) {
                violations.add(new Violation(path + ".algorithms[" + i + "]", "no configured key can verify " + name));
            }
        }
        return result;
    }

    boolean supports(JWSAlgorithm algorithm) {
        for (VerificationKey key : keys) {
            if (key.algorithm().equals(algorithm)) {
                return true;
            }
        }
        return false;
    }

    private static void fromJwk(JWK jwk, String path, List<VerificationKey> out, List<Violation> violations) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return;
        }
        try {
            VerificationKey key;
            if (jwk instanceof RSAKey rsa) {
                key = publicKey(jwk.getKeyID(), rsa.toRSAPublicKey(), path);
            } else if (jwk instanceof ECKey ec) {
                if (!Curve.P_256.equals(ec.getCurve())) {
                    throw new UnusableKey(path, "EC keys must be on P-256 (ES256), not " + ec.getCurve());
                }
                key = publicKey(jwk.getKeyID(), ec.toECPublicKey(), path);
            } else if (jwk instanceof OctetSequenceKey oct) {
                if (oct.toByteArray().length < 32) {
                    throw new UnusableKey(path, "an HS256 secret must be at least 32 bytes");
                }
                key = new VerificationKey(jwk.getKeyID(), JWSAlgorithm.HS256, new MACVerifier(oct.toByteArray()));
            } else {
                throw new UnusableKey(path, "unsupported key type " + jwk.getKeyType());
            }
            if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(key.algorithm().getName())) {
                throw new UnusableKey(path, "the key's alg " + jwk.getAlgorithm() + " does not fit its key type");
            }
            out.add(key);
        } catch (UnusableKey e) {
            violations.add(new Violation(e.path, e.getMessage()));
        } catch (JOSEException e) {
            violations.add(new Violation(path, "unusable key: " + e.getMessage()));
        }
    }

    private static VerificationKey publicKey(@Nullable String kid, PublicKey key, String path)
            throws JOSEException, UnusableKey {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new UnusableKey(path, "RSA keys must have at least " + MIN_RSA_BITS + " bits");
            }
            return new VerificationKey(kid, JWSAlgorithm.RS256, new RSASSAVerifier(rsa));
        }
        if (key instanceof ECPublicKey ec) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new UnusableKey(path, "EC keys must be on P-256 (ES256)");
            }
            return new VerificationKey(kid, JWSAlgorithm.ES256, new ECDSAVerifier(ec));
        }
        throw new UnusableKey(path, "unsupported public key type " + key.getAlgorithm());
    }

    private static final class UnusableKey extends Exception {
        final String path;

        UnusableKey(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }
    }
}
