package dev.sluice.agent.routing;

import org.jspecify.annotations.Nullable;

/**
 * One node of the compiled, immutable radix tree: a run of static characters ({@link #prefix}),
 * then the static children (found by their first character), at most one {@code :param} child, at
 * most one {@code *wildcard} leaf, and the leaf of the routes that end here.
 *
 * <p>Laid out for large tables that no longer fit in the CPU caches: a short prefix is packed into
 * a long and a lone child is held in a field, so a step usually reads only the node itself and
 * not also a String, its bytes and a child array.
 */
final class RadixNode<T> {

  /** Children tables wider than this many characters fall back to a sorted key array. */
  private static final int MAX_TABLE_SPAN = 128;

  private static final char[] NO_KEYS = new char[0];

  final String prefix;
  final int prefixLength;
  /** The prefix's characters as bytes, character i in bits 8i..8i+7, if it has at most 8 Latin-1 ones. */
  private final long packed;
  private final boolean isPacked;
  private final char onlyKey;
  private final @Nullable RadixNode<T> onlyChild;
  private final char low;
  private final @Nullable RadixNode<T>[] table;
  private final char[] sparseKeys;
  private final @Nullable RadixNode<T>[] sparseChildren;
  final @Nullable RadixNode<T> param;
  /** Index in the route's parameter array of the value {@link #param} captures. */
  final int paramSlot;
  final @Nullable Leaf<T> wildcard;
  final @Nullable Leaf<T> leaf;

  @SuppressWarnings("unchecked")
  RadixNode(
      String prefix,
      char[] keys,
      RadixNode<T>[] children,
      @Nullable RadixNode<T> param,
      int paramSlot,
      @Nullable Leaf<T> wildcard,
      @Nullable Leaf<T> leaf) {
    this.prefix = prefix;
    this.prefixLength = prefix.length();
    this.param = param;
    this.paramSlot = paramSlot;
    this.wildcard = wildcard;
    this.leaf = leaf;
    long bits = 0;
    boolean packable = prefix.length() <= 8;
    for (int i = 0; i < prefix.length() && packable; i++) {
      char c = prefix.charAt(i);
      packable = c <= 0xFF;
      bits |= (long) c << (8 * i);
    }
    this.packed = bits;
    this.isPacked = packable;
    this.onlyKey = keys.length == 1 ? keys[0] : 0;
    this.onlyChild = keys.length == 1 ? children[0] : null;
    int span = keys.length == 0 ? 0 : keys[keys.length - 1] - keys[0] + 1;
    if (keys.length <= 1) {
      this.low = 0;
      this.table = null;
      this.sparseKeys = NO_KEYS;
      this.sparseChildren = null;
    } else if (span <= MAX_TABLE_SPAN) {
      this.low = keys[0];
      this.table = new RadixNode[span];
      for (int i = 0; i < keys.length; i++) {
        table[keys[i] - low] = children[i];
      }
      this.sparseKeys = NO_KEYS;
      this.sparseChildren = null;
    } else {
      this.low = 0;
      this.table = null;
      this.sparseKeys = keys;
      this.sparseChildren = children;
    }
  }

  /** The static child whose prefix starts with {@code c}, or null. Keys are sorted and distinct. */
  @Nullable RadixNode<T> child(char c) {
    RadixNode<T> only = onlyChild;
    if (only != null) {
      return c == onlyKey ? only : null;
    }
    RadixNode<T>[] t = table;
    if (t != null) {
      int i = c - low;
      return i >= 0 && i < t.length ? t[i] : null;
    }
    int lo = 0;
    int hi = sparseKeys.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char k = sparseKeys[mid];
      if (k < c) {
        lo = mid + 1;
      } else if (k > c) {
        hi = mid - 1;
      } else {
        return sparseChildren[mid];
      }
    }
    return null;
  }

  /**
   * Whether {@code path} continues with this node's prefix at {@code pos}, comparing from prefix
   * character {@code from} on (1 when the parent's child lookup already matched the first).
   */
  boolean prefixMatches(String path, int pos, int from) {
    int n = prefixLength;
    if (!isPacked) {
      return path.startsWith(prefix, pos);
    }
    if (pos + n > path.length()) {
      return false;
    }
    long bits = packed >>> (8 * from);
    for (int i = from; i < n; i++) {
      if (path.charAt(pos + i) != (char) (bits & 0xFF)) {
        return false;
      }
      bits >>>= 8;
    }
    return true;
  }
}
