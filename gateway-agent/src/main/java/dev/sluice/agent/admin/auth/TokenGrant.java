package dev.sluice.agent.admin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A bearer token from the config: its name (the principal), the SHA-256 of the token (see
 * {@link TokenHashes}), and what it may do. The token itself is never held.
 */
public record TokenGrant(
    String name, String sha256, Role role, Scope scope, Set<String> permissions) {

  public TokenGrant {
    Objects.requireNonNull(name, "name");
    if (!TokenHashes.isWellFormed(sha256)) {
      throw new IllegalArgumentException("token " + name
          + ": sha256 must be 64 lower-case hex digits (see TokenHashes)");
    }
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(scope, "scope");
    permissions = Set.copyOf(permissions);
  }
}
