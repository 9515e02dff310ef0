package dev.sluice.agent.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

  @Test
  void hashIsLowerCaseHexSha256() {
    assertThat(TokenHashes.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(TokenHashes.isWellFormed(TokenHashes.hash("anything"))).isTrue();
  }

  @Test
  void grantWithMalformedHashIsRejectedNamingTheToken() {
    assertThatThrownBy(() -> new TokenGrant("ci", "not-a-hash", Role.VIEWER, Scope.UNRESTRICTED,
        Set.of())).hasMessageContaining("token ci: sha256 must be 64 lower-case hex digits");
  }

  @Test
  void tokenMapsToItsGrantAndOthersToNothing() {
    Authenticator authenticator = new Authenticator(List.of(
        new TokenGrant("vera", TokenHashes.hash("v-token"), Role.VIEWER, Scope.UNRESTRICTED,
            Set.of()),
        new TokenGrant("otto", TokenHashes.hash("o-token"), Role.OPERATOR,
            new Scope(List.of("payments"), List.of("/pay")), Set.of("permanent-override"))),
        List.of());
    Principal otto = authenticator.authenticateToken("o-token").orElseThrow();
    assertThat(otto.name()).isEqualTo("otto");
    assertThat(otto.role()).isEqualTo(Role.OPERATOR);
    assertThat(otto.hasPermission(Principal.PERMANENT_OVERRIDE)).isTrue();
    assertThat(otto.method()).isEqualTo(Principal.AuthMethod.BEARER_TOKEN);
    assertThat(authenticator.authenticateToken("v-token").orElseThrow().name()).isEqualTo("vera");
    assertThat(authenticator.authenticateToken("o-token ")).isEmpty();
  }

  @Test
  void scopePermitsOnlyItsServicesAndRoutePrefixes() {
    Scope scope = new Scope(List.of("payments"), List.of("/pay", "/billing/"));
    assertThat(scope.permits("payments")).isTrue();
    assertThat(scope.permits("users")).isFalse();
    assertThat(scope.permitsRoute("/pay/charge")).isTrue();
    assertThat(scope.permitsRoute("/billing/invoices/:id")).isTrue();
    assertThat(scope.permitsRoute("/users/:id")).isFalse();
    assertThat(scope.describe()).isEqualTo("services [payments], route prefixes [/pay, /billing/]");
  }

  @Test
  void emptyScopeListsMeanNoRestrictionOfThatKind() {
    Scope servicesOnly = new Scope(List.of("payments"), List.of());
    assertThat(servicesOnly.permitsRoute("/anything")).isTrue();
    assertThat(Scope.UNRESTRICTED.permits("users")).isTrue();
    assertThat(Scope.UNRESTRICTED.describe()).isEqualTo("unrestricted");
  }

  @Test
  void certificateSubjectsCompareAsX500Names() {
    CertificateGrant grant = new CertificateGrant("CN=alice, O=sre", Role.OPERATOR,
        Scope.UNRESTRICTED, Set.of());
    assertThat(grant.x500()).isEqualTo(new javax.security.auth.x500.X500Principal("cn=alice,o=sre"));
    assertThatThrownBy(() -> new CertificateGrant("not a dn", Role.VIEWER, Scope.UNRESTRICTED,
        Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
