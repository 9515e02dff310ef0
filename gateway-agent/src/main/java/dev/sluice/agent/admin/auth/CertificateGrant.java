package dev.sluice.agent.admin.auth;

import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Maps an mTLS client certificate's subject (e.g. "CN=alice,O=sre") to a role, scope and
 * permissions. Subjects are compared as X.500 names, so spacing and attribute case do not matter.
 */
public record CertificateGrant(
    String subject, Role role, Scope scope, Set<String> permissions) {

  public CertificateGrant {
    Objects.requireNonNull(subject, "subject");
    new X500Principal(subject); // rejects a subject that is not an X.500 name
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(scope, "scope");
    permissions = Set.copyOf(permissions);
  }

  X500Principal x500() {
    return new X500Principal(subject);
  }
}
