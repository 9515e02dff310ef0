package dev.sluice.agent.proxy;

import dev.sluice.agent.config.RateLimitConfig;
import dev.sluice.agent.resilience.KeyedRateLimiter;
import dev.sluice.agent.resilience.RateLimitDecision;
import dev.sluice.agent.resilience.Ticker;
import dev.sluice.agent.resilience.TokenBucket;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A route's rate limit on the request path: one {@link TokenBucket}, or a {@link KeyedRateLimiter}
 * keyed by the client IP, a header or a JWT claim. A request without the key (no such header, no
 * bearer token or claim) shares the route's one bucket for missing keys. The JWT is not verified
 * here: the claim only chooses a bucket. Stateful; it outlives snapshots while its config is unchanged.
 */
public final class RouteLimiter {

    /** Distinct keys one keyed limit holds at most (memory is fixed; see docs/resilience.md). */
    public static final int MAX_KEYS = 65_536;

    private final RateLimitConfig config;
    private final TokenBucket shared;
    private final @Nullable KeyedRateLimiter keyed;

    public RouteLimiter(RateLimitConfig config, Ticker ticker) {
        this.config = config;
        this.shared = new TokenBucket(config.settings(), ticker);
        this.keyed = config.key() == RateLimitConfig.Key.ROUTE ? null : new KeyedRateLimiter(config.settings(), MAX_KEYS, ticker);
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Takes a token for this request if one is left. */
    public RateLimitDecision tryAcquire(HttpHeaders headers, String clientIp) {
        KeyedRateLimiter byKey = keyed;
        if (byKey == null) {
            return shared.tryAcquire();
        }
        String key = switch (config.key()) {
            case CLIENT_IP -> clientIp;
            case HEADER -> headers.get(nameOf(config));
            case JWT_CLAIM -> claim(headers.get(HttpHeaderNames.AUTHORIZATION), nameOf(config));
            case ROUTE -> null;
        };
        return key == null ? shared.tryAcquire() : byKey.tryAcquire(key);
    }

    private static String nameOf(RateLimitConfig config) {
        String name = config.keyName();
        return name == null ? "" : name;
    }

    /** The claim's value from a {@code Bearer} JWT's payload (top-level string or number), or null. */
    static @Nullable String claim(@Nullable String authorization, String claim) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        int first = authorization.indexOf('.', 7);
        int second = first < 0 ? -1 : authorization.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(authorization.substring(first + 1, second)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String quoted = "\"" + claim + "\"";
        int at = payload.indexOf(quoted);
        if (at < 0) {
            return null;
        }
        int i = payload.indexOf(':', at + quoted.length());
        if (i < 0) {
            return null;
        }
        i++;
        while (i < payload.length() && Character.isWhitespace(payload.charAt(i))) {
            i++;
        }
        if (i >= payload.length()) {
            return null;
        }
        if (payload.charAt(i) == '"') {
            int end = payload.indexOf('"', i + 1);
            return end < 0 ? null : payload.substring(i + 1, end);
        }
        int end = i;
        while (end < payload.length() && ",}] \t\r\n".indexOf(payload.charAt(end)) < 0) {
            end++;
        }
        return end == i ? null : payload.substring(i, end);
    }
}
