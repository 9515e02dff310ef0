package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@code request-validation} filter: declared rules for path parameters, query
 * parameters and headers. Every rule of every field is checked and all failures are reported
 * together in one 400.
 */
public record RequestValidationSettings(List<FieldRule> rules) {

    public static final String NAME = "request-validation";

    private static final Set<String> FIELDS = Set.of("name", "path", "query", "headers");
    private static final Set<String> RULE_FIELDS =
            Set.of("required", "type", "pattern", "minLength", "maxLength", "min", "max", "enum");

    /** Where a field comes from; its {@link #label()} prefixes the field in violations. */
    public enum Location {
        PATH("path"), QUERY("query"), HEADER("header");

        private final String label;

        Location(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The value types a field may be declared as; the name is also the violated rule's name. */
    public enum ValueType {
        INTEGER, NUMBER, BOOLEAN, UUID, EMAIL;

        public String rule() {
            return name().toLowerCase(Locale.ROOT);
        }

        static @Nullable ValueType parse(String text) {
            for (ValueType t : values()) {
                if (t.rule().equals(text)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * The rules of one field. {@code pattern} must match the whole value; {@code minLength}/{@code
     * maxLength} count code points of the decoded value; {@code min}/{@code max} need type integer or
     * number; {@code allowed} (YAML {@code enum}) lists the exact values accepted.
     */
    public record FieldRule(
            Location location,
            String name,
            boolean required,
            @Nullable ValueType type,
            @Nullable String pattern,
            @Nullable Long minLength,
            @Nullable Long maxLength,
            @Nullable Double min,
            @Nullable Double max,
            List<String> allowed) {

        public FieldRule {
            allowed = List.copyOf(allowed);
        }

        /** The field as reported: {@code query.page}, {@code path.id}, {@code header.X-Tenant}. */
        public String field() {
            return location.label() + "." + name;
        }
    }

    public RequestValidationSettings {
        rules = List.copyOf(rules);
    }

    static RequestValidationSettings fromMap(SettingsReader in) {
        in.allowOnly(FIELDS);
        List<FieldRule> rules = new ArrayList<>();
        read(in, "path", Location.PATH, rules);
        read(in, "query", Location.QUERY, rules);
        read(in, "headers", Location.HEADER, rules);
        return new RequestValidationSettings(rules);
    }

    private static void read(SettingsReader in, String key, Location location, List<FieldRule> rules) {
        for (Map.Entry<String, ?> e : in.submap(key).entrySet()) {
            String fieldKey = key + "." + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> raw)) {
                in.violation(fieldKey, "must be a mapping of rules (" + RULE_FIELDS.stream().sorted().toList() + ")");
                continue;
            }
            @SuppressWarnings("unchecked")
            SettingsReader rule = in.child((Map<String, ?>) raw, fieldKey);
            rule.allowOnly(RULE_FIELDS);
            String typeName = rule.string("type");
            ValueType type = typeName == null ? null : ValueType.parse(typeName);
            if (typeName != null && type == null) {
                rule.violation("type", "must be one of integer, number, boolean, uuid, email");
            }
            rules.add(new FieldRule(location, e.getKey(), rule.bool("required", false), type, rule.string("pattern"),
                    rule.whole("minLength"), rule.whole("maxLength"), rule.number("min"), rule.number("max"),
                    rule.strings("enum")));
        }
    }

    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (rules.isEmpty()) {
            out.add(new Violation(path, "declare at least one rule under path, query or headers"));
        }
        for (FieldRule rule : rules) {
            String rulePath = path + "." + (rule.location() == Location.HEADER ? "headers" : rule.location().label())
                    + "." + rule.name();
            if (rule.name().isEmpty()) {
                out.add(new Violation(rulePath, "the field name must not be empty"));
            }
            if (rule.location() == Location.HEADER && !SettingsReader.isHeaderName(rule.name())) {
                out.add(new Violation(rulePath, "'" + rule.name() + "' is not a valid header name"));
            }
            if (rule.pattern() != null) {
                try {
                    Pattern.compile(rule.pattern());
                } catch (PatternSyntaxException e) {
                    out.add(new Violation(rulePath + ".pattern", "not a valid regular expression: " + e.getDescription()));
                }
            }
            if (rule.minLength() != null && rule.minLength() < 0) {
                out.add(new Violation(rulePath + ".minLength", "must not be negative"));
            }
            if (rule.maxLength() != null && rule.maxLength() < 0) {
                out.add(new Violation(rulePath + ".maxLength", "must not be negative"));
            }
            if (rule.minLength() != null && rule.maxLength() != null && rule.minLength() > rule.maxLength()) {
                out.add(new Violation(rulePath + ".minLength", "must not be greater than maxLength"));
            }
            boolean numeric = rule.type() == ValueType.INTEGER || rule.type() == ValueType.NUMBER;
            if ((rule.min() != null || rule.max() != null) && !numeric) {
                out.add(new Violation(rulePath + (rule.min() != null ? ".min" : ".max"),
                        "min and max need type integer or number"));
            }
            if (rule.min() != null && rule.max() != null && rule.min() > rule.max()) {
                out.add(new Violation(rulePath + ".min", "must not be greater than max"));
            }
        }
        return out;
    }
}
