package dev.sluice.agent.admin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller of the admin API: a token's name or a client certificate's subject, with
 * its role, scope and extra permissions. Carries no credential, so it is safe to log and audit.
 */
public record Principal(
    String name, Role role, Scope scope, Set<String> permissions, AuthMethod method) {

  /** Lets an override be set without a time-to-live. */
  public static final String PERMANENT_OVERRIDE = "permanent-override";

  /** How the caller proved who it is. */
  public enum AuthMethod { BEARER_TOKEN, CLIENT_CERTIFICATE }

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(scope, "scope");
    permissions = Set.copyOf(permissions);
    Objects.requireNonNull(method, "method");
  }

  public boolean hasPermission(String permission) {
    return permissions.contains(permission);
  }
}
