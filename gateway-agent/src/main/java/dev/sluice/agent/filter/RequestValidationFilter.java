package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.filter.RequestValidationSettings.FieldRule;
import dev.sluice.agent.filter.RequestValidationSettings.Location;
import dev.sluice.agent.filter.RequestValidationSettings.ValueType;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code request-validation} filter: checks declared path parameters, query parameters (every
 * occurrence, percent-decoded) and headers, and answers 400 listing each failed rule as {@code
 * {"field": "query.page", "rule": "integer"}}. Patterns are compiled and violations pre-built when the
 * chain is built; a valid request allocates only what decoding an encoded value needs.
 */
public final class RequestValidationFilter implements RequestFilter {

    private static final String MESSAGE = "the request does not satisfy this route's rules";

    private final RequestValidationSettings settings;
    private final Compiled[] rules;

    /** One field's rules, ready for the event loop. */
    private static final class Compiled {
        final FieldRule rule;
        final @Nullable AsciiString header;
        final @Nullable Pattern pattern;
        final Set<String> allowed;
        final FieldViolation required;
        final FieldViolation encoding;
        final @Nullable FieldViolation type;
        final FieldViolation patternViolation;
        final FieldViolation minLength;
        final FieldViolation maxLength;
        final FieldViolation min;
        final FieldViolation max;
        final FieldViolation allowedViolation;

        Compiled(FieldRule rule) {
            this.rule = rule;
            String field = rule.field();
            header = rule.location() == Location.HEADER ? AsciiString.cached(rule.name()) : null;
            pattern = rule.pattern() == null ? null : Pattern.compile(rule.pattern());
            allowed = Set.copyOf(rule.allowed());
            required = new FieldViolation(field, "required");
            encoding = new FieldViolation(field, "encoding");
            type = rule.type() == null ? null : new FieldViolation(field, rule.type().rule());
            patternViolation = new FieldViolation(field, "pattern");
            minLength = new FieldViolation(field, "minLength");
            maxLength = new FieldViolation(field, "maxLength");
            min = new FieldViolation(field, "min");
            max = new FieldViolation(field, "max");
            allowedViolation = new FieldViolation(field, "enum");
        }
    }

    private RequestValidationFilter(RequestValidationSettings settings) {
        this.settings = settings;
        this.rules = new Compiled[settings.rules().size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = new Compiled(settings.rules().get(i));
        }
    }

    static @Nullable RequestValidationFilter create(RequestValidationSettings settings, String path,
            List<Violation> violations) {
        List<Violation> found = settings.validate(path);
        violations.addAll(found);
        return found.isEmpty() ? new RequestValidationFilter(settings) : null;
    }

    public static RequestValidationFilter create(RequestValidationSettings settings) {
        List<Violation> found = settings.validate(RequestValidationSettings.NAME);
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("invalid request-validation settings: " + found);
        }
        return new RequestValidationFilter(settings);
    }

    @Override
    public String name() {
        return RequestValidationSettings.NAME;
    }

    public RequestValidationSettings settings() {
        return settings;
    }

    @Override
    public FilterDecision onRequest(FilterContext ctx) {
        List<FieldViolation> found = null;
        for (Compiled rule : rules) {
            found = switch (rule.rule.location()) {
                case PATH -> checkEncoded(rule, ctx.pathParam(rule.rule.name()), false, found);
                case HEADER -> checkHeader(rule, ctx.headers(), found);
                case QUERY -> checkQuery(rule, ctx.rawQuery(), found);
            };
        }
        if (found == null) {
            return FilterDecision.CONTINUE;
        }
        return new Rejection(HttpResponseStatus.BAD_REQUEST, MESSAGE, RejectionReason.VALIDATION, List.of(), found);
    }

    private static @Nullable List<FieldViolation> checkQuery(Compiled rule, @Nullable String query,
            @Nullable List<FieldViolation> found) {
        String name = rule.rule.name();
        int occurrences = 0;
        int start = 0;
        int length = query == null ? 0 : query.length();
        while (query != null && start < length) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int eq = query.indexOf('=', start);
            int nameEnd = eq < 0 || eq > end ? end : eq;
            if (nameMatches(query, start, nameEnd, name)) {
                occurrences++;
                String raw = nameEnd == end ? "" : query.substring(nameEnd + 1, end);
                found = checkEncoded(rule, raw, true, found);
            }
            start = end + 1;
        }
        if (occurrences == 0 && rule.rule.required()) {
            return add(found, rule.required);
        }
        return found;
    }

    private static boolean nameMatches(String query, int from, int to, String name) {
        if (to - from == name.length() && query.regionMatches(from, name, 0, name.length())) {
            return true;
        }
        for (int i = from; i < to; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return name.equals(PercentDecoding.decode(query.substring(from, to), true));
            }
        }
        return false;
    }

    private static @Nullable List<FieldViolation> checkEncoded(Compiled rule, @Nullable String raw, boolean plusIsSpace,
            @Nullable List<FieldViolation> found) {
        if (raw == null) {
            return rule.rule.required() ? add(found, rule.required) : found;
        }
        String value = PercentDecoding.decode(raw, plusIsSpace);
        if (value == null) {
            return add(found, rule.encoding);
        }
        return checkValue(rule, value, found);
    }

    /** Every value of a repeated header is checked: the upstream may read any of them. */
    private static @Nullable List<FieldViolation> checkHeader(Compiled rule, HttpHeaders headers,
            @Nullable List<FieldViolation> found) {
        Iterator<String> values = headers.valueStringIterator(java.util.Objects.requireNonNull(rule.header));
        if (!values.hasNext()) {
            return checkPresent(rule, null, found);
        }
        while (values.hasNext()) {
            found = checkPresent(rule, values.next(), found);
        }
        return found;
    }

    private static @Nullable List<FieldViolation> checkPresent(Compiled rule, @Nullable String value,
            @Nullable List<FieldViolation> found) {
        if (value == null) {
            return rule.rule.required() ? add(found, rule.required) : found;
        }
        return checkValue(rule, value, found);
    }

    private static @Nullable List<FieldViolation> checkValue(Compiled compiled, String value,
            @Nullable List<FieldViolation> found) {
        FieldRule rule = compiled.rule;
        if (rule.type() != null) {
            boolean typed = switch (rule.type()) {
                case INTEGER -> Values.isInteger(value);
                case NUMBER -> Values.isNumber(value);
                case BOOLEAN -> value.equals("true") || value.equals("false");
                case UUID -> Values.isUuid(value);
                case EMAIL -> Values.isEmail(value);
            };
            if (!typed) {
                found = add(found, compiled.type);
            } else if (rule.min() != null || rule.max() != null) {
                double number = rule.type() == ValueType.INTEGER ? Long.parseLong(value) : Double.parseDouble(value);
                if (rule.min() != null && number < rule.min()) {
                    found = add(found, compiled.min);
                }
                if (rule.max() != null && number > rule.max()) {
                    found = add(found, compiled.max);
                }
            }
        }
        if (rule.minLength() != null || rule.maxLength() != null) {
            int codePoints = value.codePointCount(0, value.length());
            if (rule.minLength() != null && codePoints < rule.minLength()) {
                found = add(found, compiled.minLength);
            }
            if (rule.maxLength() != null && codePoints > rule.maxLength()) {
                found = add(found, compiled.maxLength);
            }
        }
        if (compiled.pattern != null && !compiled.pattern.matcher(value).matches()) {
            found = add(found, compiled.patternViolation);
        }
        if (!compiled.allowed.isEmpty() && !compiled.allowed.contains(value)) {
            found = add(found, compiled.allowedViolation);
        }
        return found;
    }

    private static List<FieldViolation> add(@Nullable List<FieldViolation> found, @Nullable FieldViolation violation) {
        List<FieldViolation> list = found == null ? new ArrayList<>(4) : found;
        if (violation != null && !list.contains(violation)) {
            list.add(violation);
        }
        return list;
    }
}
