package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Settings of the {@code response-size} guard: the largest response body the route may return. */
public record ResponseSizeSettings(long maxBytes) {

    public static final String NAME = "response-size";

    private static final Set<String> FIELDS = Set.of("name", "maxBytes");

    static ResponseSizeSettings fromMap(SettingsReader in) {
        in.allowOnly(FIELDS);
        String raw = in.string("maxBytes");
        long max = raw == null ? -1 : parseSize(raw);
        if (raw == null) {
            in.violation("maxBytes", "is required (bytes, or a size such as 512KiB, 10MiB, 1GiB)");
        } else if (max < 0) {
            in.violation("maxBytes", "must be a whole number of bytes or a size such as 512KiB, 10MiB, 1GiB");
        }
        // After a reported problem a placeholder that validate() accepts, so the path is reported once.
        return new ResponseSizeSettings(max < 0 ? 1 : max);
    }

    /** Bytes for {@code 1048576}, {@code 512KiB}, {@code 10MiB}, {@code 1GiB}; -1 when unreadable. */
    static long parseSize(String text) {
        String t = text.trim();
        long unit = 1;
        if (t.endsWith("KiB")) {
            unit = 1L << 10;
        } else if (t.endsWith("MiB")) {
            unit = 1L << 20;
        } else if (t.endsWith("GiB")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 3);
        if (!Values.isInteger(digits) || digits.startsWith("-")) {
            return -1;
        }
        long n = Long.parseLong(digits);
        return n > Long.MAX_VALUE / unit ? -1 : n * unit;
    }

    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (maxBytes < 1) {
            out.add(new Violation(path + ".maxBytes", "must be at least 1 byte"));
        }
        return out;
    }
}
