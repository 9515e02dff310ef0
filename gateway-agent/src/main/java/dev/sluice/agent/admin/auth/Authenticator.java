package dev.sluice.agent.admin.auth;

import dev.sluice.agent.admin.auth.Principal.AuthMethod;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Turns a presented bearer token or client certificate into a {@link Principal}. Token lookup
 * hashes the token once and compares it with every configured hash in constant time, without
 * stopping at a match, so timing tells an attacker nothing about which hash came close.
 */
public final class Authenticator {

  private final List<TokenGrant> tokens;
  private final List<byte[]> tokenHashes;
  private final List<CertificateGrant> certificates;

  public Authenticator(List<TokenGrant> tokens, List<CertificateGrant> certificates) {
    this.tokens = List.copyOf(tokens);
    this.tokenHashes = this.tokens.stream().map(t -> HexFormat.of().parseHex(t.sha256())).toList();
    this.certificates = List.copyOf(certificates);
  }

  /** The principal a token belongs to, or empty when no configured token matches. */
  public Optional<Principal> authenticateToken(String token) {
    byte[] presented = TokenHashes.digest(token);
    TokenGrant found = null;
    for (int i = 0; i < tokens.size(); i++) {
      if (MessageDigest.isEqual(presented, tokenHashes.get(i)) && found == null) {
        found = tokens.get(i);
      }
    }
    if (found == null) {
      return Optional.empty();
    }
    return Optional.of(new Principal(found.name(), found.role(), found.scope(),
        found.permissions(), AuthMethod.BEARER_TOKEN));
  }

  /** The principal a verified client certificate maps to, or empty when its subject is unmapped. */
  public Optional<Principal> authenticateCertificate(X509Certificate certificate) {
    X500Principal subject = certificate.getSubjectX500Principal();
    for (CertificateGrant grant : certificates) {
      if (grant.x500().equals(subject)) {
        return Optional.of(new Principal(subject.getName(), grant.role(), grant.scope(),
            grant.permissions(), AuthMethod.CLIENT_CERTIFICATE));
      }
    }
    return Optional.empty();
  }

  /** True when at least one way of authenticating is configured. */
  public boolean hasGrants() {
    return !tokens.isEmpty() || !certificates.isEmpty();
  }

  static @Nullable X509Certificate firstX509(java.security.cert.Certificate @Nullable [] chain) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
      return null;
    }
    return x509;
  }
}
