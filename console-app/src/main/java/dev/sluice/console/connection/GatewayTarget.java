package dev.sluice.console.connection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a gateway's admin API listens and how to present ourselves to it: bearer token, TLS
 * material, and whether this console may change anything there at all ({@code viewOnly}: it then
 * sends no mutation, whatever the role). The token is kept in memory only and never written.
 */
public record GatewayTarget(
    String host, int port, @Nullable String token, Tls tls, boolean viewOnly) {

  /** A plaintext target (loopback, tests, the demo) that may change things if its role allows. */
  public GatewayTarget(String host, int port, @Nullable String token) {
    this(host, port, token, Tls.PLAINTEXT, false);
  }

  /**
   * TLS for the admin channel: {@code caFile} (PEM) to trust instead of the system's roots, and a
   * client certificate with its key (PEM) for mTLS. Paths only; files are read when connecting.
   */
  public record Tls(
      boolean enabled, @Nullable Path caFile, @Nullable Path clientCert, @Nullable Path clientKey) {
    public static final Tls PLAINTEXT = new Tls(false, null, null, null);
  }

  /** The same target with TLS settings and the view-only switch. */
  public GatewayTarget with(Tls tls, boolean viewOnly) {
    return new GatewayTarget(host, port, token, tls, viewOnly);
  }

  /** "host:port" as the user typed it; the token is never part of it. */
  public String address() {
    return host + ":" + port;
  }

  /**
   * Parses "host:port" (IPv6 as "[::1]:port"); the error names what is wrong instead of throwing.
   */
  public static Parsed parse(String address, @Nullable String token) {
    List<String> problems = new ArrayList<>();
    String trimmed = address.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      problems.add("address \"" + address + "\" must be host:port");
      return new Parsed(Optional.empty(), problems);
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      problems.add("port \"" + trimmed.substring(colon + 1) + "\" is not a number");
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      problems.add("port " + port + " is outside 1–65535");
    }
    if (!problems.isEmpty()) {
      return new Parsed(Optional.empty(), problems);
    }
    String cleanToken = token == null || token.isBlank() ? null : token.trim();
    return new Parsed(Optional.of(new GatewayTarget(host, port, cleanToken)), List.of());
  }

  /** The outcome of {@link #parse}: a target, or every problem found. */
  public record Parsed(Optional<GatewayTarget> target, List<String> problems) {}

  @Override
  public String toString() {
    return "GatewayTarget[" + address() + (token == null ? "" : ", token=***")
        + (tls.enabled() ? ", tls" : "") + (viewOnly ? ", view-only" : "") + "]";
  }
}
