package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@code cors} filter. Origins are exact ({@code https://app.example.com}), {@code *}
 * (any origin, only without credentials, as the Fetch standard requires) or a leading-label wildcard
 * ({@code https://*.example.com}, which matches subdomains at any depth but not the apex).
 */
public record CorsSettings(
        List<String> allowedOrigins,
        List<String> allowedMethods,
        List<String> allowedHeaders,
        List<String> exposedHeaders,
        boolean allowCredentials,
        @Nullable Duration maxAge) {

    public static final String NAME = "cors";
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");
    public static final Duration MAX_MAX_AGE = Duration.ofDays(1);

    private static final Set<String> FIELDS = Set.of("name", "allowedOrigins", "allowedMethods", "allowedHeaders",
            "exposedHeaders", "allowCredentials", "maxAge");

    public CorsSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
    }

    static CorsSettings fromMap(SettingsReader in) {
        in.allowOnly(FIELDS);
        List<String> methods = in.strings("allowedMethods");
        Duration maxAge = in.has("maxAge") ? in.duration("maxAge", Duration.ZERO) : null;
        return new CorsSettings(in.strings("allowedOrigins"), methods.isEmpty() ? DEFAULT_METHODS : methods,
                in.strings("allowedHeaders"), in.strings("exposedHeaders"), in.bool("allowCredentials", false), maxAge);
    }

    public List<Violation> validate(String path) {
        List<Violation> out = new ArrayList<>();
        if (allowedOrigins.isEmpty()) {
            out.add(new Violation(path + ".allowedOrigins", "list at least one origin, or *"));
        }
        for (int i = 0; i < allowedOrigins.size(); i++) {
            String origin = allowedOrigins.get(i);
            String originPath = path + ".allowedOrigins[" + i + "]";
            if (origin.equals("*")) {
                if (allowCredentials) {
                    out.add(new Violation(originPath, "* cannot be combined with allowCredentials: true "
                            + "(browsers refuse it); list the origins that may send credentials"));
                }
            } else if (!isOriginPattern(origin)) {
                out.add(new Violation(originPath, "must be *, an origin such as https://app.example.com "
                        + "or a pattern such as https://*.example.com"));
            }
        }
        for (int i = 0; i < allowedMethods.size(); i++) {
            if (!SettingsReader.isHeaderName(allowedMethods.get(i))) {
                out.add(new Violation(path + ".allowedMethods[" + i + "]", "'" + allowedMethods.get(i) + "' is not a method name"));
            }
        }
        headerNames(path + ".allowedHeaders", allowedHeaders, true, out);
        headerNames(path + ".exposedHeaders", exposedHeaders, false, out);
        if (allowCredentials && allowedHeaders.contains("*")) {
            out.add(new Violation(path + ".allowedHeaders", "* means the literal header name when credentials are "
                    + "allowed; list the headers"));
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.compareTo(MAX_MAX_AGE) > 0)) {
            out.add(new Violation(path + ".maxAge", "must be between 0s and 24h"));
        }
        return out;
    }

    private static void headerNames(String path, List<String> names, boolean wildcard, List<Violation> out) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!(wildcard && name.equals("*")) && !SettingsReader.isHeaderName(name)) {
                out.add(new Violation(path + "[" + i + "]", "'" + name + "' is not a valid header name"));
            }
        }
    }

    /** {@code scheme://host[:port]}, where the host may start with {@code *.}; no path, no trailing slash. */
    static boolean isOriginPattern(String origin) {
        int sep = origin.indexOf("://");
        if (sep < 1) {
            return false;
        }
        for (int i = 0; i < sep; i++) {
            char c = origin.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9' && i > 0) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        String hostPort = origin.substring(sep + 3);
        if (hostPort.startsWith("*.")) {
            hostPort = hostPort.substring(2);
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        if (colon >= 0) {
            String port = hostPort.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !Values.isInteger(port) || port.startsWith("-")) {
                return false;
            }
        }
        if (host.isEmpty() || host.startsWith(".") || host.endsWith(".")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
