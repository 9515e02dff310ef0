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
  // Start and end index in path of each value, set by the lookup that created this instance before
  // it is handed out and never changed after. The first two live in fields: most routes have one
  // or two values, and an array would be one more allocation per match.
  private int start0;
  private int end0;
  private int start1;
  private int end1;
  /** Values 2.. at [2(i-2)] and [2(i-2)+1]; null for at most two values. */
  private final int @Nullable [] more;

  PathParams(String[] names, String path) {
    this.names = names;
    this.path = path;
    this.more = names.length > 2 ? new int[(names.length - 2) * 2] : null;
  }

  /** Records where value {@code i} lies in the path; only while the match is being made. */
  void set(int i, int start, int end) {
    if (i == 0) {
      start0 = start;
      end0 = end;
    } else if (i == 1) {
      start1 = start;
      end1 = end;
    } else {
      int[] m = more;
      if (m == null) {
        throw new IndexOutOfBoundsException(i);
      }
      m[2 * (i - 2)] = start;
      m[2 * (i - 2) + 1] = end;
    }
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
    if (i == 0) {
      return path.substring(start0, end0);
    }
    if (i == 1) {
      return path.substring(start1, end1);
    }
    int[] m = more;
    if (m == null) {
      throw new IndexOutOfBoundsException(i);
    }
    return path.substring(m[2 * (i - 2)], m[2 * (i - 2) + 1]);
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
