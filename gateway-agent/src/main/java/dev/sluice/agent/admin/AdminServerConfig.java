package dev.sluice.agent.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and how the admin gRPC server listens. Plaintext ({@code tls} null) is allowed only on a
 * loopback address unless {@code insecure} is set; check {@link #violations()} before use — the
 * server refuses to start with any.
 *
 * @param bindAddress IP address or host name to bind; "0.0.0.0" or "::" binds all interfaces
 * @param port TCP port; 0 picks a free one
 * @param insecure allow plaintext on a non-loopback address (logged as a warning at start)
 */
public record AdminServerConfig(String bindAddress, int port, @Nullable Tls tls, boolean insecure) {

  /** Whether the server asks for a client certificate. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is verified when sent; a bearer token is enough otherwise. */
    OPTIONAL,
    /** The TLS handshake fails without a client certificate signed by the client CA. */
    REQUIRE
  }

  /**
   * TLS 1.2/1.3 material as PEM files.
   *
   * @param certificateChain the server certificate chain
   * @param privateKey the server's PKCS#8 private key
   * @param clientCa CA certificates client certificates must chain to; required unless
   *     {@code clientAuth} is NONE
   */
  public record Tls(
      Path certificateChain, Path privateKey, @Nullable Path clientCa, ClientAuth clientAuth) {
    public Tls {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(clientAuth, "clientAuth");
    }
  }

  /** One problem with the config: the field path under {@code admin} and what is wrong. */
  public record Violation(String path, String message) {}

  /** Plaintext on 127.0.0.1 with a free port, for tests and local use. */
  public static AdminServerConfig loopbackPlaintext() {
    return new AdminServerConfig("127.0.0.1", 0, null, false);
  }

  /** Every problem at once; empty when the server can start with this config. */
  public List<Violation> violations() {
    List<Violation> violations = new ArrayList<>();
    if (port < 0 || port > 65_535) {
      violations.add(new Violation("admin.port", "must be between 0 and 65535, was " + port));
    }
    InetAddress address = resolve();
    if (address == null) {
      violations.add(new Violation("admin.bind", "'" + bindAddress + "' does not resolve"));
    } else if (tls == null && !insecure && !address.isLoopbackAddress()) {
      violations.add(new Violation("admin.tls", "plaintext is refused on non-loopback address "
          + bindAddress + "; configure admin.tls or set admin.insecure: true"));
    }
    if (tls != null) {
      requireReadable(violations, "admin.tls.certificate", tls.certificateChain());
      requireReadable(violations, "admin.tls.key", tls.privateKey());
      if (tls.clientAuth() != ClientAuth.NONE && tls.clientCa() == null) {
        violations.add(new Violation("admin.tls.clientCa",
            "required when clientAuth is " + tls.clientAuth()));
      }
      if (tls.clientCa() != null) {
        requireReadable(violations, "admin.tls.clientCa", tls.clientCa());
      }
    }
    return violations;
  }

  @Nullable InetAddress resolve() {
    try {
      return InetAddress.getByName(bindAddress);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static void requireReadable(List<Violation> violations, String path, Path file) {
    if (!Files.isReadable(file)) {
      violations.add(new Violation(path, "cannot read " + file));
    }
  }
}
