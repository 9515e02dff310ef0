package dev.sluice.agent.routing;

import org.jspecify.annotations.Nullable;

/**
 * Puts a raw request path into the one canonical form routes are matched against, so that no
 * spelling of a path ({@code //}, {@code %2e%2e}, {@code /./}) can reach a route its plain spelling
 * would not. The proxy must forward the normalized path, not the raw one, or the upstream could
 * still see a different path than the router did.
 */
public final class PathNormalizer {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  /**
   * Normalizes a raw request path (no query) before matching: percent-decodes unreserved characters
   * (ALPHA / DIGIT / "-" / "." / "_" / "~") only, upper-cases remaining percent-escapes, collapses
   * repeated slashes, resolves "." and ".." segments (RFC 3986 §5.2.4; ".." never climbs above
   * "/"). Returns null when the path is invalid and must be answered 400: not starting with "/", a
   * malformed percent-escape, an encoded "/" ("%2F") or "\" ("%5C") or NUL ("%00"), a raw "\" or
   * control character, or a dot segment carrying path parameters ("..;x", which Tomcat-style
   * servers treat as ".."). Returns the argument itself when it is already normal.
   */
  public static @Nullable String normalize(String rawPath) {
    int len = rawPath.length();
    if (len == 0 || rawPath.charAt(0) != '/') {
      return null;
    }
    boolean clean = true;
    for (int i = 0; i < len; i++) {
      char c = rawPath.charAt(i);
      if (c >= 0x30 && c < 0x7F) {
        // Digits, letters and most punctuation: one range check for the common case.
        if (c == '\\') {
          return null;
        }
      } else if (c == '/') {
        if (startsEmptyOrDotSegment(rawPath, i + 1)) {
          clean = false;
        }
      } else if (c == '%') {
        clean = false;
      } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
        return null;
      }
    }
    return clean ? rawPath : rebuild(rawPath);
  }

  /** Slow path: decode into a buffer, then resolve segments; only runs for paths that need it. */
  private static @Nullable String rebuild(String rawPath) {
    int len = rawPath.length();
    char[] decoded = new char[len];
    int n = 0;
    for (int i = 0; i < len; i++) {
      char c = rawPath.charAt(i);
      if (c != '%') {
        decoded[n++] = c;
        continue;
      }
      if (i + 2 >= len) {
        return null;
      }
      int hi = hexValue(rawPath.charAt(i + 1));
      int lo = hexValue(rawPath.charAt(i + 2));
      if (hi < 0 || lo < 0) {
        return null;
      }
      char v = (char) (hi << 4 | lo);
      if (v == '/' || v == '\\' || v == 0) {
        return null;
      }
      if (isUnreserved(v)) {
        decoded[n++] = v;
      } else {
        decoded[n++] = '%';
        decoded[n++] = HEX[hi];
        decoded[n++] = HEX[lo];
      }
      i += 2;
    }
    return removeDotSegments(decoded, n);
  }

  /**
   * Resolves "." and ".." and drops empty segments; a trailing "/", ".", ".." or empty segment keeps
   * the result ending in "/" as RFC 3986 §5.2.4 does ("/a/b/.." is "/a/").
   */
  private static @Nullable String removeDotSegments(char[] path, int length) {
    // ends[k] is the output length after segment k was appended, so ".." can drop back to it.
    int[] ends = new int[length / 2 + 2];
    int depth = 0;
    char[] out = new char[length + 1];
    int outLength = 0;
    boolean trailingSlash = false;
    int segmentStart = 1;
    for (int i = 1; i <= length; i++) {
      if (i < length && path[i] != '/') {
        continue;
      }
      boolean last = i == length;
      int segmentLength = i - segmentStart;
      if (segmentLength == 0 || isDot(path, segmentStart, i)) {
        trailingSlash = last;
      } else if (isDotDot(path, segmentStart, i)) {
        if (depth > 0) {
          depth--;
          outLength = depth == 0 ? 0 : ends[depth - 1];
        }
        trailingSlash = last;
      } else if (isDottedWithParameters(path, segmentStart, i)) {
        return null;
      } else {
        out[outLength++] = '/';
        System.arraycopy(path, segmentStart, out, outLength, segmentLength);
        outLength += segmentLength;
        ends[depth++] = outLength;
        trailingSlash = false;
      }
      segmentStart = i + 1;
    }
    if (outLength == 0 || trailingSlash) {
      out[outLength++] = '/';
    }
    return new String(out, 0, outLength);
  }

  /**
   * Whether the segment starting at {@code i} is empty (a repeated slash; a trailing slash is fine),
   * "." or "..", or one of those followed by ";" path parameters.
   */
  private static boolean startsEmptyOrDotSegment(String s, int i) {
    int len = s.length();
    if (i == len) {
      return false;
    }
    char c = s.charAt(i);
    if (c == '/') {
      return true;
    }
    if (c != '.') {
      return false;
    }
    if (i + 1 == len) {
      return true;
    }
    c = s.charAt(i + 1);
    if (c == '/' || c == ';') {
      return true;
    }
    if (c != '.') {
      return false;
    }
    if (i + 2 == len) {
      return true;
    }
    c = s.charAt(i + 2);
    return c == '/' || c == ';';
  }

  private static boolean isDot(char[] p, int start, int end) {
    return end - start == 1 && p[start] == '.';
  }

  private static boolean isDotDot(char[] p, int start, int end) {
    return end - start == 2 && p[start] == '.' && p[start + 1] == '.';
  }

  /** "." or ".." followed by ";params": some servers strip the parameters and then see a dot segment. */
  private static boolean isDottedWithParameters(char[] p, int start, int end) {
    int dots = 0;
    while (start + dots < end && dots < 2 && p[start + dots] == '.') {
      dots++;
    }
    return dots > 0 && start + dots < end && p[start + dots] == ';';
  }

  /** ASCII hex only: Character.digit would also accept other scripts' digits. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
