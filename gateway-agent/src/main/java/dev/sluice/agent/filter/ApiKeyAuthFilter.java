package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code api-key-auth} filter: hashes the presented key with SHA-256 and compares the digest with
 * every configured digest in constant time, so neither timing nor the config reveals a key. The key
 * header is removed before forwarding and the matched key's name is forwarded instead.
 */
public final class ApiKeyAuthFilter implements RequestFilter {

    private static final String SCHEME = "ApiKey ";
    private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-256");
        }
    };

    private final ApiKeyAuthSettings settings;
    private final AsciiString header;
    private final @Nullable AsciiString forwardNameAs;
    private final byte[][] digests;
    private final String[] names;
    private final Rejection missing;
    private final Rejection unknown;

    private ApiKeyAuthFilter(ApiKeyAuthSettings settings) {
        this.settings = settings;
        this.header = AsciiString.cached(settings.header());
        this.forwardNameAs = settings.forwardNameAs() == null ? null : AsciiString.cached(settings.forwardNameAs());
        this.digests = new byte[settings.keys().size()][];
        this.names = new String[digests.length];
        for (int i = 0; i < digests.length; i++) {
            digests[i] = HexFormat.of().parseHex(settings.keys().get(i).sha256());
            names[i] = settings.keys().get(i).name();
        }
        String challenge = "ApiKey realm=\"sluice\", header=\"" + settings.header() + "\"";
        List<Map.Entry<String, String>> headers = List.of(Map.entry(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge));
        missing = new Rejection(HttpResponseStatus.UNAUTHORIZED, "an API key is required", RejectionReason.API_KEY_MISSING,
                headers, List.of());
        unknown = new Rejection(HttpResponseStatus.UNAUTHORIZED, "the API key is not valid", RejectionReason.API_KEY_UNKNOWN,
                headers, List.of());
    }

    static @Nullable ApiKeyAuthFilter create(ApiKeyAuthSettings settings, String path, List<Violation> violations) {
        List<Violation> found = settings.validate(path);
        violations.addAll(found);
        return found.isEmpty() ? new ApiKeyAuthFilter(settings) : null;
    }

    public static ApiKeyAuthFilter create(ApiKeyAuthSettings settings) {
        List<Violation> found = settings.validate(ApiKeyAuthSettings.NAME);
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("invalid api-key-auth settings: " + found);
        }
        return new ApiKeyAuthFilter(settings);
    }

    /** The hex SHA-256 digest to put in config for {@code key}. */
    public static String digestOf(String key) {
        return HexFormat.of().formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String name() {
        return ApiKeyAuthSettings.NAME;
    }

    @Override
    public FilterDecision onRequest(FilterContext ctx) {
        HttpHeaders headers = ctx.headers();
        if (forwardNameAs != null) {
            headers.remove(forwardNameAs);
        }
        String key = headers.get(header);
        boolean fromAuthorization = false;
        if (key == null) {
            String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
            if (authorization != null && authorization.length() > SCHEME.length()
                    && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                key = authorization.substring(SCHEME.length()).trim();
                fromAuthorization = true;
            }
        }
        if (key == null || key.isEmpty()) {
            return missing;
        }
        byte[] presented = SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        int match = -1;
        // Every digest is compared, each in constant time, so the time taken says nothing about which matched.
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(presented, digests[i])) {
                match = i;
            }
        }
        if (match < 0) {
            return unknown;
        }
        headers.remove(header);
        if (fromAuthorization) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
        }
        if (forwardNameAs != null) {
            headers.set(forwardNameAs, names[match]);
        }
        return FilterDecision.CONTINUE;
    }

    public ApiKeyAuthSettings settings() {
        return settings;
    }
}
