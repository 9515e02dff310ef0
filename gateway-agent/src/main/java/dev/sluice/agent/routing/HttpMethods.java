package dev.sluice.agent.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the HTTP methods one table knows, so leaves keep per-method values in an array and Allow
 * sets are bit masks. The nine standard methods have fixed numbers; extension methods get the next.
 */
final class HttpMethods {

  static final int GET = 0;
  static final int HEAD = 1;
  static final int POST = 2;
  static final int PUT = 3;
  static final int DELETE = 4;
  static final int PATCH = 5;
  static final int OPTIONS = 6;
  static final int TRACE = 7;
  static final int CONNECT = 8;
  static final int MAX = 64;

  private static final String[] STANDARD = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"
  };

  private static final HttpMethods STANDARD_ONLY = new HttpMethods(STANDARD, Map.of());

  private final String[] names;
  private final Map<String, Integer> extensions;
  /** Method numbers in alphabetical order of their names, for a stable Allow header. */
  private final int[] alphabetical;

  private HttpMethods(String[] names, Map<String, Integer> extensions) {
    this.names = names;
    this.extensions = extensions;
    Integer[] order = new Integer[names.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
    this.alphabetical = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      alphabetical[i] = order[i];
    }
  }

  int count() {
    return names.length;
  }

  /** The method's number, or -1 when no route of this table names it. Allocation-free. */
  int indexOf(String method) {
    switch (method.length()) {
      case 3:
        if (method.equals("GET")) {
          return GET;
        }
        if (method.equals("PUT")) {
          return PUT;
        }
        break;
      case 4:
        if (method.equals("POST")) {
          return POST;
        }
        if (method.equals("HEAD")) {
          return HEAD;
        }
        break;
      case 5:
        if (method.equals("PATCH")) {
          return PATCH;
        }
        if (method.equals("TRACE")) {
          return TRACE;
        }
        break;
      case 6:
        if (method.equals("DELETE")) {
          return DELETE;
        }
        break;
      case 7:
        if (method.equals("OPTIONS")) {
          return OPTIONS;
        }
        if (method.equals("CONNECT")) {
          return CONNECT;
        }
        break;
      default:
        break;
    }
    if (extensions.isEmpty()) {
      return -1;
    }
    Integer index = extensions.get(method);
    return index == null ? -1 : index;
  }

  String allowHeader(long mask) {
    StringBuilder sb = new StringBuilder();
    for (int index : alphabetical) {
      if ((mask & (1L << index)) != 0) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(names[index]);
      }
    }
    return sb.toString();
  }

  /** A method is an upper-case RFC 9110 token; lower-case letters are refused so "get" is a mistake, not a new method. */
  static boolean isValidName(String method) {
    if (method.isEmpty()) {
      return false;
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Collects the methods of a table while it is being built. */
  static final class Registry {
    private final List<String> names = new ArrayList<>(Arrays.asList(STANDARD));
    private final Map<String, Integer> extensions = new HashMap<>();

    /** The method's number, assigning one if new; -1 when the table already has {@link #MAX} methods. */
    int register(String method) {
      int index = STANDARD_ONLY.indexOf(method);
      if (index >= 0) {
        return index;
      }
      Integer known = extensions.get(method);
      if (known != null) {
        return known;
      }
      if (names.size() >= MAX) {
        return -1;
      }
      extensions.put(method, names.size());
      names.add(method);
      return names.size() - 1;
    }

    String name(int index) {
      return names.get(index);
    }

    HttpMethods freeze() {
      return new HttpMethods(names.toArray(new String[0]), Map.copyOf(extensions));
    }
  }
}
