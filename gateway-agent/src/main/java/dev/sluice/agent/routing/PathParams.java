package dev.sluice.agent.routing;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The {@code :param} values and the {@code *wildcard} remainder captured by a match, in pattern
 * order. Values are exactly as they appear in the normalized path (still percent-encoded where
 * the path was).
 */
public final class PathParams {

  private static final String[] NONE = new String[0];
  private static final PathParams EMPTY = new PathParams(NONE, NONE);

  private final String[] names;
  /** Filled in by the lookup that created this instance before it is handed out; never changed after. */
  final String[] values;

  PathParams(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  public static PathParams empty() {
    return EMPTY;
  }

  /** The value captured for {@code name} (without the leading ':' or '*'), or null if there is none. */
  public @Nullable String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathParams other
        && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=').append(values[i]);
    }
    return sb.append('}').toString();
  }
}
