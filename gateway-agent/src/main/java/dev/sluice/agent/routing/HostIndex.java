package dev.sluice.agent.routing;

import org.jspecify.annotations.Nullable;

/**
 * Maps a Host header value to that host's routes without allocating: the port and a
 * trailing dot are skipped by index and case is folded while hashing and comparing.
 */
final class HostIndex<T> {

  private final String[] keys;
  private final RouteTree<T>[] roots;
  private final int mask;

  @SuppressWarnings("unchecked")
  HostIndex(String[] hostKeys, RouteTree<T>[] hostRoots) {
    int capacity = Integer.highestOneBit(Math.max(4, hostKeys.length * 2 + 1)) << 1;
    this.keys = new String[capacity];
    this.roots = new RouteTree[capacity];
    this.mask = capacity - 1;
    for (int i = 0; i < hostKeys.length; i++) {
      int slot = hash(hostKeys[i], hostKeys[i].length()) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = hostKeys[i];
      roots[slot] = hostRoots[i];
    }
  }

  /** The routes of {@code host}, or null when the host has no routes of its own. */
  @Nullable RouteTree<T> find(String host) {
    int end = nameEnd(host);
    int slot = hash(host, end) & mask;
    String key;
    while ((key = keys[slot]) != null) {
      if (sameName(key, host, end)) {
        return roots[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  /** The canonical key of a configured host: lower-case, no port, no trailing dot. */
  static String key(String host) {
    int end = nameEnd(host);
    StringBuilder sb = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      sb.append(lower(host.charAt(i)));
    }
    return sb.toString();
  }

  /** Length of the host name in a Host value: before ":port" (after "]" for IPv6), minus a trailing dot. */
  static int nameEnd(String host) {
    int end;
    if (!host.isEmpty() && host.charAt(0) == '[') {
      int close = host.indexOf(']');
      end = close < 0 ? host.length() : close + 1;
    } else {
      end = host.indexOf(':');
      if (end < 0) {
        end = host.length();
      }
    }
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    return end;
  }

  private static int hash(String s, int end) {
    int h = 0;
    for (int i = 0; i < end; i++) {
      h = 31 * h + lower(s.charAt(i));
    }
    return h ^ (h >>> 16);
  }

  private static boolean sameName(String key, String host, int end) {
    if (key.length() != end) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      if (key.charAt(i) != lower(host.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** ASCII-only folding: host names on the wire are ASCII (IDNs travel as punycode). */
  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
