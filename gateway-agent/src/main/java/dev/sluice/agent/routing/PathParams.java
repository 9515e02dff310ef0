package dev.sluice.agent.routing;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The {@code :param} values and the {@code *wildcard} remainder captured by a match, in pattern
 * order. Values are exactly as they appear in the normalized path (still percent-encoded where the
 * path was). A match records only where each value lies in the path; {@link #get} and {@link
 * #value} cut the string on each call, so keep the result if you need it twice.
 */
public final class PathParams {

  private static final PathParams EMPTY = new PathParams(new String[0], "");

  private final String[] names;
  private final String path;
  /**
   * Start and end index in {@link #path} of value i at [2i] and [2i+1]. Filled in by the lookup that
   * created this instance before it is handed out; never changed after.
   */
  final int[] bounds;

  PathParams(String[] names, String path) {
    this.names = names;
    this.path = path;
    this.bounds = new int[names.length * 2];
  }

  public static PathParams empty() {
    return EMPTY;
  }

  /** The value captured for {@code name} (without the leading ':' or '*'), or null if there is none. */
  public @Nullable String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return value(i);
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
    if (i < 0 || i >= names.length) {
      throw new IndexOutOfBoundsException(i);
    }
    return path.substring(bounds[2 * i], bounds[2 * i + 1]);
  }

  private String[] values() {
    String[] values = new String[names.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(i);
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathParams other
        && Arrays.equals(names, other.names)
        && Arrays.equals(values(), other.values());
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=').append(value(i));
    }
    return sb.append('}').toString();
  }
}
