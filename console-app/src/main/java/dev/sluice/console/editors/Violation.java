package dev.sluice.console.editors;

/**
 * One problem with an edit: the field's path as the admin API names it ({@code
 * route.match.path}, {@code limit.burst}, {@code ttl}) and what is wrong, in words.
 */
public record Violation(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
