package dev.sluice.console.editors;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.admin.v1.FilterSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * One route filter in the route editor: its settings as text fields, one per setting the filter
 * type knows (and one per other setting the gateway sent). A field whose text is left as it was
 * sends back exactly the value the snapshot had, so a redacted secret ({@code <redacted>}) goes back
 * unchanged and the gateway keeps the current one. UI thread only.
 */
public final class FilterForm {
  /** The filter types the gateway runs, in the order it runs them. */
  public static final List<String> NAMES =
      List.of("cors", "jwt-auth", "api-key-auth", "request-validation", "response-size");

  /** How a field's text becomes a setting. */
  public enum Kind {
    /** A string. */
    TEXT,
    /** Comma-separated strings, sent as a list. */
    LIST,
    /** "true" or "false". */
    FLAG,
    /** JSON: a list of objects (keys). */
    JSON_LIST,
    /** JSON: an object (rules by name, claim to header). */
    JSON_OBJECT,
    /** Any JSON value (a setting this console does not know). */
    JSON
  }

  /** One setting: its key in the filter's settings, how it is typed, and its text. */
  public record Field(String key, String label, Kind kind, String prompt, StringProperty text) {}

  private record Layout(String key, String label, Kind kind, String prompt) {}

  private static final Map<String, List<Layout>> LAYOUTS = Map.of(
      "cors", List.of(
          new Layout("allowedOrigins", "Allowed origins", Kind.LIST,
              "e.g. https://app.example.com, https://*.shop.example.com"),
          new Layout("allowedMethods", "Allowed methods", Kind.LIST, "GET, POST (default GET, HEAD, POST)"),
          new Layout("allowedHeaders", "Allowed headers", Kind.LIST, "e.g. Content-Type, Authorization"),
          new Layout("exposedHeaders", "Exposed headers", Kind.LIST, "e.g. X-Request-Id"),
          new Layout("allowCredentials", "Credentials", Kind.FLAG, ""),
          new Layout("maxAge", "Preflight max age", Kind.TEXT, "e.g. 10m (empty: not sent)")),
      "jwt-auth", List.of(
          new Layout("issuer", "Issuer", Kind.TEXT, "e.g. https://id.example.com"),
          new Layout("audiences", "Audiences", Kind.LIST, "e.g. orders-api"),
          new Layout("algorithms", "Algorithms", Kind.LIST, "RS256, ES256, HS256 (empty: the keys')"),
          new Layout("keys", "Keys (JSON)", Kind.JSON_LIST,
              "e.g. [{\"kid\": \"hmac-2026\", \"secret\": \"at least 32 bytes…\"}]"),
          new Layout("jwksFile", "JWKS file", Kind.TEXT, "a file the config already uses"),
          new Layout("clockSkew", "Clock skew", Kind.TEXT, "default 30s"),
          new Layout("requireExpiration", "Require exp", Kind.FLAG, ""),
          new Layout("forwardClaims", "Forward claims (JSON)", Kind.JSON_OBJECT,
              "e.g. {\"sub\": \"X-User-Id\"}"),
          new Layout("realm", "Realm", Kind.TEXT, "default sluice")),
      "api-key-auth", List.of(
          new Layout("header", "Header", Kind.TEXT, "default X-Api-Key"),
          new Layout("keys", "Keys (JSON)", Kind.JSON_LIST,
              "e.g. [{\"name\": \"batch\", \"sha256\": \"printf %s KEY | sha256sum\"}]"),
          new Layout("forwardNameAs", "Forward name as", Kind.TEXT, "e.g. X-Api-Key-Name")),
      "request-validation", List.of(
          new Layout("path", "Path params (JSON)", Kind.JSON_OBJECT, "e.g. {\"id\": {\"type\": \"uuid\"}}"),
          new Layout("query", "Query (JSON)", Kind.JSON_OBJECT,
              "e.g. {\"page\": {\"type\": \"integer\", \"min\": 1}}"),
          new Layout("headers", "Headers (JSON)", Kind.JSON_OBJECT,
              "e.g. {\"X-Tenant\": {\"required\": true, \"pattern\": \"[a-z]{3,16}\"}}")),
      "response-size", List.of(
          new Layout("maxBytes", "Max response", Kind.TEXT, "e.g. 10MiB, 512KiB or bytes")));

  private final String name;
  private final Struct original;
  private final List<Field> fields = new ArrayList<>();

  /** A form over {@code spec} as the snapshot shows it (secrets redacted). */
  public FilterForm(FilterSpec spec) {
    this.name = spec.getName();
    this.original = spec.getSettings();
    Set<String> shown = new LinkedHashSet<>();
    for (Layout l : LAYOUTS.getOrDefault(name, List.of())) {
      fields.add(field(l.key(), l.label(), l.kind(), l.prompt()));
      shown.add(l.key());
    }
    for (String key : original.getFieldsMap().keySet()) {
      if (shown.add(key)) {
        fields.add(field(key, key + " (JSON)", Kind.JSON, ""));
      }
    }
  }

  /** A new filter of type {@code name} with no settings yet. */
  public static FilterForm blank(String name) {
    return new FilterForm(FilterSpec.newBuilder().setName(name).build());
  }

  private Field field(String key, String label, Kind kind, String prompt) {
    Value value = original.getFieldsMap().get(key);
    String text = value == null ? "" : SettingsText.edit(value, kind);
    return new Field(key, label, kind, prompt, new SimpleStringProperty(this, key, text));
  }

  public String name() {
    return name;
  }

  public List<Field> fields() {
    return fields;
  }

  /**
   * The stage the gateway runs this filter in; a route has at most one filter per stage (JWT and
   * API-key authentication share one).
   */
  public String stage() {
    return switch (name) {
      case "jwt-auth", "api-key-auth" -> "authentication";
      case "request-validation" -> "request validation";
      default -> name;
    };
  }

  /** The problems this console can see, at {@code path}.key (e.g. route.filters[0].maxBytes). */
  public List<Violation> check(String path) {
    List<Violation> out = new ArrayList<>();
    for (Field f : fields) {
      if (!unchanged(f) && !f.text().get().isBlank()) {
        String problem = SettingsText.problem(f.text().get(), f.kind());
        if (problem != null) {
          out.add(new Violation(path + "." + f.key(), problem));
        }
      }
    }
    switch (name) {
      case "response-size" -> required(out, path, "maxBytes", "is required, e.g. 10MiB");
      case "api-key-auth" -> required(out, path, "keys", "is required: at least one key with its sha256");
      case "jwt-auth" -> {
        if (unset("keys") && unset("jwksFile")) {
          out.add(new Violation(path + ".keys", "give keys or a JWKS file"));
        }
      }
      case "request-validation" -> {
        if (unset("path") && unset("query") && unset("headers")) {
          out.add(new Violation(path + ".headers", "give at least one rule (path, query or headers)"));
        }
      }
      default -> { }
    }
    return out;
  }

  private void required(List<Violation> out, String path, String key, String message) {
    if (unset(key)) {
      out.add(new Violation(path + "." + key, message));
    }
  }

  private boolean unset(String key) {
    return fields.stream().filter(f -> f.key().equals(key)).allMatch(f -> f.text().get().isBlank());
  }

  /** The filter as it will be sent; only meaningful when {@link #check} is empty. */
  public FilterSpec spec() {
    Struct.Builder settings = original.toBuilder();
    for (Field f : fields) {
      if (unchanged(f)) {
        continue;
      }
      Value value = f.text().get().isBlank() ? null : SettingsText.value(f.text().get(), f.kind());
      if (value == null) {
        settings.removeFields(f.key());
      } else {
        settings.putFields(f.key(), value);
      }
    }
    return FilterSpec.newBuilder().setName(name).setSettings(settings).build();
  }

  /** True while the text still reads as the snapshot's value: that exact value is sent back. */
  private boolean unchanged(Field f) {
    @Nullable Value value = original.getFieldsMap().get(f.key());
    String before = value == null ? "" : SettingsText.edit(value, f.kind());
    return before.equals(f.text().get());
  }
}
