package dev.sluice.agent.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The leaves of fully static routes by their whole path, consulted before the tree. A static route
 * that equals the path is always the tree's first choice (static wins at every position), so this
 * only shortcuts the walk: a handful of memory reads instead of several per tree level, which is
 * what keeps large tables flat once they no longer fit in the CPU caches.
 */
final class StaticIndex<T> {

  private final int[] hashes;
  private final @Nullable String[] keys;
  private final @Nullable Leaf<T>[] leaves;
  private final int mask;
  private final boolean empty;

  @SuppressWarnings("unchecked")
  StaticIndex(List<String> paths, List<Leaf<T>> pathLeaves) {
    int capacity = Integer.highestOneBit(Math.max(4, paths.size() * 2)) << 1;
    this.hashes = new int[capacity];
    this.keys = new String[capacity];
    this.leaves = new Leaf[capacity];
    this.mask = capacity - 1;
    this.empty = paths.isEmpty();
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      int hash = hash(path);
      int slot = hash & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      hashes[slot] = hash;
      keys[slot] = path;
      leaves[slot] = pathLeaves.get(i);
    }
  }

  @Nullable Leaf<T> get(String path) {
    if (empty) {
      return null;
    }
    int hash = hash(path);
    int slot = hash & mask;
    String key;
    while ((key = keys[slot]) != null) {
      if (hashes[slot] == hash && key.equals(path)) {
        return leaves[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  /**
   * String.hashCode's function, computed here on purpose: request paths are fresh strings, so the
   * cached hash would never help in production and would only flatter benchmarks that reuse strings.
   */
  private static int hash(String s) {
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h ^ (h >>> 16);
  }
}
