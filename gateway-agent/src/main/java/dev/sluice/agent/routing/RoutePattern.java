package dev.sluice.agent.routing;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A route path pattern split into static text, {@code :param} and {@code *wildcard} parts, or the
 * reasons it is invalid. Parameters are whole segments; a ':' or '*' inside a segment is literal.
 */
record RoutePattern(String source, List<Part> parts, String[] paramNames, List<String> errors) {

  enum Kind {
    STATIC,
    PARAM,
    WILDCARD
  }

  /** For STATIC the literal text (slashes included); for PARAM and WILDCARD the name. */
  record Part(Kind kind, String text) {}

  boolean valid() {
    return errors.isEmpty();
  }

  static RoutePattern parse(String pattern) {
    List<String> errors = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (!pattern.startsWith("/")) {
      errors.add("path '" + pattern + "' must start with '/'");
      return new RoutePattern(pattern, parts, new String[0], errors);
    }
    if (pattern.indexOf('?') >= 0 || pattern.indexOf('#') >= 0) {
      errors.add("path '" + pattern + "' must not contain a query or fragment ('?', '#')");
    }
    StringBuilder text = new StringBuilder();
    int start = 1;
    while (start <= pattern.length()) {
      int end = pattern.indexOf('/', start);
      boolean last = end < 0;
      if (last) {
        end = pattern.length();
      }
      String segment = pattern.substring(start, end);
      text.append('/');
      char first = segment.isEmpty() ? 0 : segment.charAt(0);
      if (first == ':' || first == '*') {
        String name = segment.substring(1);
        String shown = first + name;
        String what = first == ':' ? "parameter" : "wildcard";
        if (name.isEmpty()) {
          errors.add(what + " name must not be empty in '" + pattern + "'");
        } else if (!isValidName(name)) {
          errors.add(what + " '" + shown + "' may contain only letters, digits, '_' and '-'");
        } else if (names.contains(name)) {
          errors.add("parameter name '" + name + "' appears twice in '" + pattern + "'");
        }
        if (first == '*' && !last) {
          errors.add("wildcard '" + shown + "' must be the last segment of '" + pattern + "'");
        }
        parts.add(new Part(Kind.STATIC, text.toString()));
        text.setLength(0);
        parts.add(new Part(first == ':' ? Kind.PARAM : Kind.WILDCARD, name));
        names.add(name);
      } else {
        text.append(segment);
      }
      start = end + 1;
    }
    if (text.length() > 0) {
      parts.add(new Part(Kind.STATIC, text.toString()));
    }
    String problem = normalizationProblem(pattern);
    if (problem != null) {
      errors.add(problem);
    }
    return new RoutePattern(pattern, List.copyOf(parts), names.toArray(new String[0]), errors);
  }

  /** A pattern no normalized request path can equal would be a dead route: refuse it instead. */
  private static @Nullable String normalizationProblem(String pattern) {
    String normalized = PathNormalizer.normalize(pattern);
    if (normalized == null) {
      return "path '" + pattern + "' is not a valid request path (bad or forbidden percent-escape,"
          + " '\\', a control character or a dot segment with parameters)";
    }
    if (!normalized.equals(pattern)) {
      return "path '" + pattern + "' can never match: requests are normalized to '" + normalized + "'";
    }
    return null;
  }

  private static boolean isValidName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
