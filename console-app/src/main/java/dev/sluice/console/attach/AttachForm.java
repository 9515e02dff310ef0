package dev.sluice.console.attach;

import dev.sluice.console.connection.GatewayTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Attach dialog holds, as plain values, and the rules it must meet: an address of the form
 * host:port; with TLS, readable CA/cert/key files, a client certificate only with its key; a
 * profile name when the profile is to be saved. Every problem is reported at once.
 */
public record AttachForm(
    String name,
    String address,
    boolean tls,
    String caFile,
    String clientCert,
    String clientKey,
    String token,
    boolean viewOnly,
    boolean save) {

  /** Every problem with the form; empty when it can be used. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (address.isBlank()) {
      problems.add("address is required (host:port)");
    } else {
      problems.addAll(GatewayTarget.parse(address, null).problems());
    }
    if (save && name.isBlank()) {
      problems.add("a profile to save needs a name");
    }
    if (tls) {
      checkFile("CA file", caFile, problems);
      checkFile("client certificate", clientCert, problems);
      checkFile("client key", clientKey, problems);
      if (clientCert.isBlank() != clientKey.isBlank()) {
        problems.add("mTLS needs both the client certificate and its key");
      }
    }
    return problems;
  }

  /** The target to attach, when there is no problem. */
  public Optional<GatewayTarget> target() {
    if (!problems().isEmpty()) {
      return Optional.empty();
    }
    GatewayTarget plain = GatewayTarget.parse(address, token).target().orElseThrow();
    GatewayTarget.Tls material = tls
        ? new GatewayTarget.Tls(true, path(caFile), path(clientCert), path(clientKey))
        : GatewayTarget.Tls.PLAINTEXT;
    return Optional.of(plain.with(material, viewOnly));
  }

  /** The profile to save: everything but the token. */
  public ConnectionProfile profile() {
    return new ConnectionProfile(name.trim(), address.trim(), tls, blankToNull(caFile),
        blankToNull(clientCert), blankToNull(clientKey), viewOnly);
  }

  /** A form filled from a saved profile and the token remembered for this session, if any. */
  public static AttachForm of(ConnectionProfile profile, @Nullable String token) {
    return new AttachForm(profile.name(), profile.address(), profile.tls(),
        orEmpty(profile.caFile()), orEmpty(profile.clientCert()), orEmpty(profile.clientKey()),
        orEmpty(token), profile.viewOnly(), false);
  }

  private static void checkFile(String what, String file, List<String> problems) {
    if (!file.isBlank() && !Files.isReadable(Path.of(file.trim()))) {
      problems.add(what + " " + file.trim() + " cannot be read");
    }
  }

  private static @Nullable Path path(String file) {
    return file.isBlank() ? null : Path.of(file.trim());
  }

  private static @Nullable String blankToNull(String text) {
    return text.isBlank() ? null : text.trim();
  }

  private static String orEmpty(@Nullable String text) {
    return text == null ? "" : text;
  }
}
