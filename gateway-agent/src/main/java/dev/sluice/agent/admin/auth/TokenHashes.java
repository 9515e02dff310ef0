package dev.sluice.agent.admin.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer tokens are configured only as their SHA-256, in lower-case hex (64 characters). No salt:
 * tokens are long random secrets (generate at least 32 random bytes), so a precomputed table does
 * not help an attacker, and an unsalted hash lets the agent look a token up in one pass. Run
 * {@code java -cp sluice-agent.jar dev.sluice.agent.admin.auth.TokenHashes} and type the token
 * on standard input (not as an argument, which would land in the shell history) to get its hash.
 */
public final class TokenHashes {

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

  private TokenHashes() {}

  /** The SHA-256 of the token's UTF-8 bytes, in lower-case hex. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(digest(token));
  }

  /** True when {@code hash} has the configured form (64 lower-case hex digits). */
  public static boolean isWellFormed(String hash) {
    return HEX_SHA256.matcher(hash).matches();
  }

  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Reads a token from standard input and prints its hash. */
  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String token = in.readLine();
    if (token == null || token.isBlank()) {
      System.err.println("usage: echo -n TOKEN | java ... TokenHashes   (reads the token from stdin)");
      System.exit(2);
      return;
    }
    System.out.println(hash(token.strip()));
  }
}
