package dev.sluice.agent.proxy;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a route changes the (normalized) path before forwarding: unchanged, a leading prefix removed,
 * or replaced by a template whose {@code {name}} placeholders take the route's path parameters.
 */
public final class PathRewrite {

    public static final PathRewrite NONE = new PathRewrite(null, null);

    private final @Nullable String stripPrefix;
    /** Alternating literal text and parameter names: even indexes literal, odd indexes names. */
    private final String @Nullable [] template;

    private PathRewrite(@Nullable String stripPrefix, String @Nullable [] template) {
        this.stripPrefix = stripPrefix;
        this.template = template;
    }

    public static PathRewrite of(@Nullable String stripPrefix, @Nullable String rewritePath) {
        if (rewritePath != null) {
            return new PathRewrite(null, compile(rewritePath));
        }
        if (stripPrefix != null) {
            String prefix = stripPrefix.endsWith("/") ? stripPrefix.substring(0, stripPrefix.length() - 1) : stripPrefix;
            return new PathRewrite(prefix, null);
        }
        return NONE;
    }

    private static String[] compile(String rewritePath) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = rewritePath.indexOf('{', at);
            int close = open < 0 ? -1 : rewritePath.indexOf('}', open);
            if (open < 0 || close < 0) {
                parts.add(rewritePath.substring(at));
                return parts.toArray(String[]::new);
            }
            parts.add(rewritePath.substring(at, open));
            parts.add(rewritePath.substring(open + 1, close));
            at = close + 1;
        }
    }

    /** The path to send upstream for this normalized request path. */
    public String apply(String path, RouteResolver.Resolution resolution) {
        if (template != null) {
            StringBuilder out = new StringBuilder(path.length() + 16);
            for (int i = 0; i < template.length; i++) {
                if ((i & 1) == 0) {
                    out.append(template[i]);
                } else {
                    String value = resolution.param(template[i]);
                    if (value != null) {
                        out.append(value);
                    }
                }
            }
            return out.toString();
        }
        if (stripPrefix != null && path.startsWith(stripPrefix)) {
            String rest = path.substring(stripPrefix.length());
            return rest.isEmpty() ? "/" : rest.charAt(0) == '/' ? rest : "/" + rest;
        }
        return path;
    }
}
