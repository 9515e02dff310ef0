package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cors} filter. A preflight ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}) is answered here: 204 with the allowed methods and headers, or 403
 * when the origin, method or a requested header is not allowed; the upstream never sees it. Other
 * requests from an allowed origin get the CORS response headers; from any other origin none. The
 * gateway owns the policy: CORS headers an upstream sets are replaced.
 */
public final class CorsFilter implements RequestFilter {

    private static final Set<String> SAFELISTED_METHODS = Set.of("GET", "HEAD", "POST");
    /** Stored as the state of an answered preflight: its reply already carries the CORS headers. */
    private static final Object PREFLIGHT = new Object();
    private static final String VARY_PREFLIGHT = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private final CorsSettings settings;
    private final boolean anyOrigin;
    private final Set<String> exactOrigins = new HashSet<>();
    private final String[] wildcardPrefixes;
    private final String[] wildcardSuffixes;
    private final Set<String> methods;
    private final boolean anyHeader;
    private final Set<String> headers = new HashSet<>();
    private final String allowMethods;
    private final String allowHeaders;
    private final @Nullable String exposeHeaders;
    private final @Nullable String maxAge;
    private final Rejection originRejected;
    private final Rejection methodRejected;
    private final Rejection headersRejected;

    private CorsFilter(CorsSettings settings) {
        this.settings = settings;
        List<String> prefixes = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        boolean any = false;
        for (String origin : settings.allowedOrigins()) {
            String lower = origin.toLowerCase(Locale.ROOT);
            int star = lower.indexOf("://*.");
            if (lower.equals("*")) {
                any = true;
            } else if (star > 0) {
                prefixes.add(lower.substring(0, star + 3));
                suffixes.add(lower.substring(star + 5));
            } else {
                exactOrigins.add(lower);
            }
        }
        anyOrigin = any;
        wildcardPrefixes = prefixes.toArray(String[]::new);
        wildcardSuffixes = suffixes.toArray(String[]::new);
        methods = Set.copyOf(settings.allowedMethods());
        boolean anyH = false;
        for (String header : settings.allowedHeaders()) {
            if (header.equals("*")) {
                anyH = true;
            } else {
                headers.add(header.toLowerCase(Locale.ROOT));
            }
        }
        anyHeader = anyH;
        allowMethods = String.join(", ", settings.allowedMethods());
        allowHeaders = String.join(", ", settings.allowedHeaders());
        exposeHeaders = settings.exposedHeaders().isEmpty() ? null : String.join(", ", settings.exposedHeaders());
        maxAge = settings.maxAge() == null ? null : Long.toString(settings.maxAge().toSeconds());
        originRejected = Rejection.of(HttpResponseStatus.FORBIDDEN, "this origin may not call this route",
                RejectionReason.CORS_ORIGIN);
        methodRejected = Rejection.of(HttpResponseStatus.FORBIDDEN, "this method is not allowed for cross-origin requests",
                RejectionReason.CORS_METHOD);
        headersRejected = Rejection.of(HttpResponseStatus.FORBIDDEN,
                "a requested header is not allowed for cross-origin requests", RejectionReason.CORS_HEADERS);
    }

    static @Nullable CorsFilter create(CorsSettings settings, String path, List<Violation> violations) {
        List<Violation> found = settings.validate(path);
        violations.addAll(found);
        return found.isEmpty() ? new CorsFilter(settings) : null;
    }

    public static CorsFilter create(CorsSettings settings) {
        List<Violation> found = settings.validate(CorsSettings.NAME);
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("invalid cors settings: " + found);
        }
        return new CorsFilter(settings);
    }

    @Override
    public String name() {
        return CorsSettings.NAME;
    }

    public CorsSettings settings() {
        return settings;
    }

    @Override
    public FilterDecision onRequest(FilterContext ctx) {
        HttpHeaders in = ctx.headers();
        String origin = in.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return FilterDecision.CONTINUE;
        }
        boolean allowed = originAllowed(origin);
        String requestedMethod = in.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (HttpMethod.OPTIONS.equals(ctx.method()) && requestedMethod != null) {
            FilterDecision decision = preflight(origin, allowed, requestedMethod,
                    in.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS));
            if (decision instanceof Reply) {
                ctx.state(PREFLIGHT);
            }
            return decision;
        }
        if (allowed) {
            ctx.state(origin);
        }
        return FilterDecision.CONTINUE;
    }

    private FilterDecision preflight(String origin, boolean allowed, String method, @Nullable String requestedHeaders) {
        if (!allowed) {
            return originRejected;
        }
        if (!methods.contains(method) && !SAFELISTED_METHODS.contains(method)) {
            return methodRejected;
        }
        if (requestedHeaders != null && !anyHeader && !headersAllowed(requestedHeaders)) {
            return headersRejected;
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(7);
        out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), allowOriginValue(origin)));
        out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS.toString(), allowMethods));
        if (anyHeader && requestedHeaders != null) {
            out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(), requestedHeaders));
        } else if (!allowHeaders.isEmpty()) {
            out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(), allowHeaders));
        }
        if (settings.allowCredentials()) {
            out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS.toString(), "true"));
        }
        if (maxAge != null) {
            out.add(Map.entry(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE.toString(), maxAge));
        }
        out.add(Map.entry(HttpHeaderNames.VARY.toString(), VARY_PREFLIGHT));
        return new Reply(HttpResponseStatus.NO_CONTENT, out);
    }

    @Override
    public void onResponse(ResponseContext ctx) {
        if (ctx.request().state() == PREFLIGHT) {
            return;
        }
        HttpHeaders out = ctx.headers();
        out.remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
        out.remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS);
        out.remove(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS);
        if (!anyOrigin || settings.allowCredentials()) {
            // The answer depends on the Origin header: caches must key on it.
            out.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        if (!(ctx.request().state() instanceof String origin)) {
            return;
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOriginValue(origin));
        if (settings.allowCredentials()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (exposeHeaders != null) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        }
    }

    private String allowOriginValue(String origin) {
        // "*" only without credentials; with credentials the Fetch standard requires the exact origin.
        return anyOrigin && !settings.allowCredentials() ? "*" : origin;
    }

    boolean originAllowed(String origin) {
        if (anyOrigin || exactOrigins.contains(origin)) {
            return true;
        }
        for (int i = 0; i < wildcardPrefixes.length; i++) {
            String prefix = wildcardPrefixes[i];
            String suffix = wildcardSuffixes[i];
            int middle = origin.length() - prefix.length() - suffix.length();
            if (middle >= 2 && origin.regionMatches(true, 0, prefix, 0, prefix.length())
                    && origin.regionMatches(true, origin.length() - suffix.length(), suffix, 0, suffix.length())
                    && origin.charAt(origin.length() - suffix.length() - 1) == '.'
                    && isHostLabels(origin, prefix.length(), origin.length() - suffix.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    /** Letters, digits, hyphens and inner dots only, so a wildcard cannot swallow a port, path or '@'. */
    private static boolean isHostLabels(String s, int from, int to) {
        if (from >= to || s.charAt(from) == '.' || s.charAt(to - 1) == '.') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok || (c == '.' && s.charAt(i - 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private boolean headersAllowed(String requested) {
        int start = 0;
        int length = requested.length();
        while (start < length) {
            int end = requested.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && requested.charAt(from) == ' ') {
                from++;
            }
            while (to > from && requested.charAt(to - 1) == ' ') {
                to--;
            }
            if (to > from && !headerAllowed(requested, from, to)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private boolean headerAllowed(String s, int from, int to) {
        for (String allowed : headers) {
            if (allowed.length() == to - from && s.regionMatches(true, from, allowed, 0, allowed.length())) {
                return true;
            }
        }
        return false;
    }
}
