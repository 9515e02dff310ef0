package dev.sluice.console.editors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Filter settings ({@code google.protobuf.Value}) as the text an operator reads and types, and
 * back: comma lists, flags and JSON for the nested parts. Parsers answer null or a problem in
 * words for bad text instead of throwing.
 */
final class SettingsText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SettingsText() {}

  /** The text a field of {@code kind} shows for {@code value}. */
  static String edit(Value value, FilterForm.Kind kind) {
    return switch (kind) {
      case TEXT, FLAG -> value.hasListValue() || value.hasStructValue() ? json(value) : scalar(value);
      case LIST -> value.hasListValue() && allScalars(value.getListValue())
          ? String.join(", ", value.getListValue().getValuesList().stream().map(SettingsText::scalar).toList())
          : value.hasStructValue() ? json(value) : scalar(value);
      case JSON_LIST, JSON_OBJECT, JSON -> json(value);
    };
  }

  /** What is wrong with {@code text} for a field of {@code kind}; null when it reads. */
  static @Nullable String problem(String text, FilterForm.Kind kind) {
    return switch (kind) {
      case TEXT, LIST -> null;
      case FLAG -> text.trim().equals("true") || text.trim().equals("false") ? null : "must be true or false";
      case JSON_LIST, JSON_OBJECT, JSON -> {
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          yield "is not JSON: " + e.getOriginalMessage();
        }
        if (node == null || node.isMissingNode()) {
          yield "is not JSON";
        }
        if (kind == FilterForm.Kind.JSON_LIST && !node.isArray()) {
          yield "must be a JSON list, e.g. [{…}, {…}]";
        }
        if (kind == FilterForm.Kind.JSON_OBJECT && !node.isObject()) {
          yield "must be a JSON object, e.g. {\"name\": …}";
        }
        yield null;
      }
    };
  }

  /** The setting {@code text} stands for; null when it does not read (see {@link #problem}). */
  static @Nullable Value value(String text, FilterForm.Kind kind) {
    if (problem(text, kind) != null) {
      return null;
    }
    return switch (kind) {
      case TEXT -> Value.newBuilder().setStringValue(text.trim()).build();
      case FLAG -> Value.newBuilder().setBoolValue(text.trim().equals("true")).build();
      case LIST -> {
        ListValue.Builder list = ListValue.newBuilder();
        for (String item : text.split(",")) {
          if (!item.isBlank()) {
            list.addValues(Value.newBuilder().setStringValue(item.trim()));
          }
        }
        yield Value.newBuilder().setListValue(list).build();
      }
      case JSON_LIST, JSON_OBJECT, JSON -> {
        try {
          yield value(JSON.readTree(text));
        } catch (JsonProcessingException e) {
          yield null;
        }
      }
    };
  }

  /**
   * A value in one readable line: scalars as they are, lists joined with ", ", objects as
   * {@code {key: value, …}}; whole numbers without a fraction.
   */
  static String readable(Value value) {
    if (value.hasStructValue()) {
      List<String> parts = new ArrayList<>();
      value.getStructValue().getFieldsMap().forEach((k, v) -> parts.add(k + ": " + readable(v)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (value.hasListValue()) {
      return String.join(", ", value.getListValue().getValuesList().stream()
          .map(SettingsText::readable).toList());
    }
    return scalar(value);
  }

  /** As {@link #readable}, without the braces around an object: "required: true, pattern: x". */
  static String inline(Value value) {
    String text = readable(value);
    return value.hasStructValue() ? text.substring(1, text.length() - 1) : text;
  }

  private static boolean allScalars(ListValue list) {
    return list.getValuesList().stream().noneMatch(v -> v.hasListValue() || v.hasStructValue());
  }

  private static String scalar(Value value) {
    return switch (value.getKindCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case NUMBER_VALUE -> number(value.getNumberValue());
      default -> "";
    };
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String json(Value value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node(value));
    } catch (JsonProcessingException e) {
      return scalar(value);
    }
  }

  private static JsonNode node(Value value) {
    return switch (value.getKindCase()) {
      case STRUCT_VALUE -> {
        ObjectNode object = NODES.objectNode();
        value.getStructValue().getFieldsMap().forEach((k, v) -> object.set(k, node(v)));
        yield object;
      }
      case LIST_VALUE -> {
        ArrayNode array = NODES.arrayNode();
        value.getListValue().getValuesList().forEach(v -> array.add(node(v)));
        yield array;
      }
      case STRING_VALUE -> NODES.textNode(value.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
      case NUMBER_VALUE -> value.getNumberValue() == Math.rint(value.getNumberValue())
          && Math.abs(value.getNumberValue()) < 1e15
          ? NODES.numberNode((long) value.getNumberValue()) : NODES.numberNode(value.getNumberValue());
      default -> NODES.nullNode();
    };
  }

  private static Value value(JsonNode node) {
    Value.Builder v = Value.newBuilder();
    if (node.isObject()) {
      Struct.Builder struct = Struct.newBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        struct.putFields(e.getKey(), value(e.getValue()));
      }
      return v.setStructValue(struct).build();
    }
    if (node.isArray()) {
      ListValue.Builder list = ListValue.newBuilder();
      node.forEach(item -> list.addValues(value(item)));
      return v.setListValue(list).build();
    }
    if (node.isBoolean()) {
      return v.setBoolValue(node.booleanValue()).build();
    }
    if (node.isNumber()) {
      return v.setNumberValue(node.doubleValue()).build();
    }
    if (node.isNull()) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    }
    return v.setStringValue(node.asText()).build();
  }
}
