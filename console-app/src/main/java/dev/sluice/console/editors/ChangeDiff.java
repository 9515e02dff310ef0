package dev.sluice.console.editors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a change does to its target, field by field: the gateway's before and after JSON flattened
 * to {@code path = value} pairs and compared, so an operator reads "rateLimit.burst: 20 → 5"
 * instead of two documents.
 */
public final class ChangeDiff {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The before of every line when the change creates its target (a new route). */
  public static final String NEW = "(new)";

  /**
   * One changed field; {@code before} or {@code after} is "" where the field is absent, and
   * {@code before} is {@link #NEW} when the whole target is new.
   */
  public record Line(String path, String before, String after) {
    public boolean added() {
      return (before.isEmpty() || before.equals(NEW)) && !after.isEmpty();
    }

    public boolean removed() {
      return !before.isEmpty() && after.isEmpty();
    }

    @Override
    public String toString() {
      if (added()) {
        return "+ " + path + ": " + (before.isEmpty() ? "" : before + " → ") + after;
      }
      if (removed()) {
        return "- " + path + ": " + before;
      }
      return "~ " + path + ": " + before + " → " + after;
    }
  }

  private ChangeDiff() {}

  /**
   * The changed fields, in path order; empty when nothing changes. Text that is not JSON (or "",
   * for a target that does not exist) counts as a document without fields; when the before has
   * none and the after has some, every line's before reads {@link #NEW}.
   */
  public static List<Line> of(String beforeJson, String afterJson) {
    Map<String, String> before = flatten(beforeJson);
    Map<String, String> after = flatten(afterJson);
    String absent = before.isEmpty() && !after.isEmpty() ? NEW : "";
    TreeSet<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    List<Line> lines = new ArrayList<>();
    for (String path : paths) {
      String b = before.getOrDefault(path, absent);
      String a = after.getOrDefault(path, "");
      if (!a.equals(b)) {
        lines.add(new Line(path, b, a));
      }
    }
    return lines;
  }

  static Map<String, String> flatten(String json) {
    Map<String, String> out = new TreeMap<>();
    if (json.isBlank()) {
      return out;
    }
    try {
      flatten("", JSON.readTree(json), out);
    } catch (JsonProcessingException e) {
      out.put("(document)", json);
    }
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
      }
    } else if (node.isArray()) {
      boolean scalars = true;
      for (JsonNode item : node) {
        scalars &= item.isValueNode();
      }
      if (scalars) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
          items.add(item.asText());
        }
        out.put(path, "[" + String.join(", ", items) + "]");
      } else {
        for (int i = 0; i < node.size(); i++) {
          flatten(path + "[" + i + "]", node.get(i), out);
        }
      }
    } else if (!node.isNull()) {
      out.put(path, node.asText());
    }
  }
}
