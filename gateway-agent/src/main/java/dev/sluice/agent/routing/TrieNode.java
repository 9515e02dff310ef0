package dev.sluice.agent.routing;

import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A mutable, one-character-per-node trie used only while a table is built; {@link TreeCompiler}
 * then compresses it into {@link RadixNode}s. Simple beats compact here: it lives for one build.
 */
final class TrieNode<T> {

  /** One route's value and the add() call it came from. */
  record Entry<T>(int index, T value) {}

  final TreeMap<Character, TrieNode<T>> children = new TreeMap<>();
  @Nullable TrieNode<T> param;
  String paramName = "";
  @Nullable TrieNode<T> wildcard;
  String wildcardName = "";

  /** For routes ending here: their parameter names in pattern order (shared, positions agree). */
  String[] paramNames = new String[0];
  final TreeMap<Integer, Entry<T>> byMethod = new TreeMap<>();
  @Nullable Entry<T> anyMethod;

  boolean endsRoutes() {
    return anyMethod != null || !byMethod.isEmpty();
  }

  /** True when this node only continues a static run and can be merged into its parent's prefix. */
  boolean isPassThrough() {
    return children.size() == 1 && param == null && wildcard == null && !endsRoutes();
  }
}
