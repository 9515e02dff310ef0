package dev.sluice.agent.filter;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.agent.config.Violation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code jwt-auth} filter: requires {@code Authorization: Bearer <JWT>} signed with HS256, RS256
 * or ES256 by a configured key, checks {@code iss}, {@code aud}, {@code exp} and {@code nbf} (with
 * clock skew) and forwards chosen claims as request headers, after removing any copies of those
 * headers the client sent. Refusals are 401 with an RFC 6750 {@code WWW-Authenticate} header. A
 * connection remembers its last verified token, so a keep-alive client's repeated token skips the
 * signature check (never the time checks).
 * Keys from a JWKS file change only through {@link #reloadKeys()}, which must run off the event loop.
 */
public final class JwtAuthFilter implements RequestFilter {

    /** Longer bearer tokens are refused unparsed. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** Longer tokens are verified on every request rather than kept per connection. */
    static final int MAX_REMEMBERED_TOKEN_LENGTH = 4 * 1024;

    private final JwtAuthSettings settings;
    private final String path;
    private final Clock clock;
    private final long skewMillis;
    private final @Nullable String issuer;
    private final Set<String> audiences;
    private final AsciiString[] forwardHeaders;
    private final String[] forwardClaims;
    private volatile JwtKeys keys;
    private volatile Set<JWSAlgorithm> algorithms;
    /** Grows with each key reload, so a token verified with older keys is verified again. */
    private volatile long keysGeneration;

    /**
     * The last token verified on a connection, kept in its {@link FilterContext#connectionState()}:
     * keep-alive clients send the same token again and again, and this spares the signature check
     * while still checking {@code exp}/{@code nbf} on every request. One entry per connection, so it is
     * bounded by the connection count and lives no longer than the connection.
     */
    private record Verified(JwtAuthFilter owner, long keysGeneration, String token, long notBefore, long expires,
            @Nullable String[] claimValues) {}

    private final Rejection missing;
    private final Rejection malformed;
    private final Rejection algorithm;
    private final Rejection unknownKey;
    private final Rejection badSignature;
    private final Rejection expired;
    private final Rejection notYetValid;
    private final Rejection wrongIssuer;
    private final Rejection wrongAudience;
    private final Rejection noExpiration;

    private JwtAuthFilter(JwtAuthSettings settings, String path, JwtKeys keys, Clock clock) {
        this.settings = settings;
        this.path = path;
        this.clock = clock;
        this.skewMillis = settings.clockSkew().toMillis();
        this.issuer = settings.issuer();
        this.audiences = Set.copyOf(settings.audiences());
        this.keys = keys;
        this.algorithms = algorithms(settings, keys);
        this.forwardClaims = settings.forwardClaims().keySet().toArray(String[]::new);
        this.forwardHeaders = new AsciiString[forwardClaims.length];
        for (int i = 0; i < forwardClaims.length; i++) {
            forwardHeaders[i] = AsciiString.cached(settings.forwardClaims().get(forwardClaims[i]));
        }
        String realm = settings.realm();
        missing = new Rejection(HttpResponseStatus.UNAUTHORIZED, "a bearer token is required", RejectionReason.JWT_MISSING,
                List.of(Map.entry(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"" + realm + "\"")), List.of());
        malformed = invalid(realm, "the bearer token is malformed", RejectionReason.JWT_MALFORMED);
        algorithm = invalid(realm, "the token's signing algorithm is not accepted", RejectionReason.JWT_ALGORITHM);
        unknownKey = invalid(realm, "the token was signed with an unknown key", RejectionReason.JWT_UNKNOWN_KEY);
        badSignature = invalid(realm, "the token's signature is invalid", RejectionReason.JWT_BAD_SIGNATURE);
        expired = invalid(realm, "the token has expired", RejectionReason.JWT_EXPIRED);
        notYetValid = invalid(realm, "the token is not valid yet", RejectionReason.JWT_NOT_YET_VALID);
        wrongIssuer = invalid(realm, "the token's issuer is not accepted", RejectionReason.JWT_ISSUER);
        wrongAudience = invalid(realm, "the token is not meant for this audience", RejectionReason.JWT_AUDIENCE);
        noExpiration = invalid(realm, "the token has no expiration time", RejectionReason.JWT_CLAIMS);
    }

    /** Builds the filter, reading keys and the JWKS file now; null when there were violations. */
    static @Nullable JwtAuthFilter create(JwtAuthSettings settings, String path, Clock clock, List<Violation> violations) {
        List<Violation> found = new ArrayList<>(settings.validate(path));
        JwtKeys keys = JwtKeys.load(settings, path, found);
        violations.addAll(found);
        return found.isEmpty() ? new JwtAuthFilter(settings, path, keys, clock) : null;
    }

    public static JwtAuthFilter create(JwtAuthSettings settings, Clock clock) {
        List<Violation> violations = new ArrayList<>();
        JwtAuthFilter filter = create(settings, JwtAuthSettings.NAME, clock, violations);
        if (filter == null) {
            throw new IllegalArgumentException("invalid jwt-auth settings: " + violations);
        }
        return filter;
    }

    private static Set<JWSAlgorithm> algorithms(JwtAuthSettings settings, JwtKeys keys) {
        Set<JWSAlgorithm> out = new HashSet<>();
        if (settings.algorithms().isEmpty()) {
            for (JwtKeys.VerificationKey key : keys.keys()) {
                out.add(key.algorithm());
            }
        } else {
            for (String name : settings.algorithms()) {
                out.add(JWSAlgorithm.parse(name));
            }
        }
        return Set.copyOf(out);
    }

    private static Rejection invalid(String realm, String description, RejectionReason reason) {
        String challenge = "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + description + "\"";
        return new Rejection(HttpResponseStatus.UNAUTHORIZED, description, reason,
                List.of(Map.entry(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge)), List.of());
    }

    /**
     * Re-reads the JWKS file and, if every key in it is usable, swaps the key set atomically; otherwise
     * keeps the current keys and returns why. Does file I/O: call it off the event loop.
     */
    public synchronized List<Violation> reloadKeys() {
        List<Violation> violations = new ArrayList<>();
        JwtKeys reloaded = JwtKeys.load(settings, path, violations);
        if (violations.isEmpty()) {
            keys = reloaded;
            algorithms = algorithms(settings, reloaded);
            keysGeneration++;
        }
        return violations;
    }

    public JwtAuthSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return JwtAuthSettings.NAME;
    }

    @Override
    public FilterDecision onRequest(FilterContext ctx) {
        HttpHeaders headers = ctx.headers();
        // Client-sent copies of the claim headers go first, whatever the outcome, so none can be injected.
        for (AsciiString header : forwardHeaders) {
            headers.remove(header);
        }
        Iterator<String> authorizations = headers.valueStringIterator(HttpHeaderNames.AUTHORIZATION);
        String authorization = authorizations.hasNext() ? authorizations.next() : null;
        if (authorizations.hasNext()) {
            // Two Authorization headers: the upstream might read the one that was not verified.
            return malformed;
        }
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return missing;
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return malformed;
        }
        if (ctx.connectionState() instanceof Verified seen && seen.owner() == this
                && seen.keysGeneration() == keysGeneration && seen.token().equals(token)) {
            FilterDecision times = checkTimes(seen.notBefore(), seen.expires());
            if (times != FilterDecision.CONTINUE) {
                return times;
            }
            setClaimHeaders(seen.claimValues(), headers);
            return FilterDecision.CONTINUE;
        }
        long generation = keysGeneration;
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            return malformed;
        }
        if (!(parsed instanceof SignedJWT jws)) {
            // alg "none" (a PlainJWT) or an encrypted token: never accepted.
            return algorithm;
        }
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            return algorithm;
        }
        FilterDecision signature = verifySignature(jws, alg);
        if (signature != FilterDecision.CONTINUE) {
            return signature;
        }
        JWTClaimsSet claims;
        try {
            claims = jws.getJWTClaimsSet();
        } catch (ParseException e) {
            return malformed;
        }
        FilterDecision checked = checkClaims(claims);
        if (checked != FilterDecision.CONTINUE) {
            return checked;
        }
        @Nullable String[] values = new String[forwardClaims.length];
        for (int i = 0; i < forwardClaims.length; i++) {
            Object value = claims.getClaim(forwardClaims[i]);
            if (value != null) {
                values[i] = headerValue(value);
                if (values[i] == null) {
                    return invalid(settings.realm(), "the claim " + forwardClaims[i] + " cannot be forwarded",
                            RejectionReason.JWT_CLAIMS);
                }
            }
        }
        setClaimHeaders(values, headers);
        Date exp = claims.getExpirationTime();
        if (exp != null && token.length() <= MAX_REMEMBERED_TOKEN_LENGTH) {
            Date nbf = claims.getNotBeforeTime();
            ctx.connectionState(new Verified(this, generation, token, nbf == null ? Long.MIN_VALUE : nbf.getTime(),
                    exp.getTime(), values));
        }
        return FilterDecision.CONTINUE;
    }

    private void setClaimHeaders(@Nullable String[] values, HttpHeaders headers) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                headers.set(forwardHeaders[i], values[i]);
            }
        }
    }

    private FilterDecision verifySignature(SignedJWT jws, JWSAlgorithm alg) {
        String kid = jws.getHeader().getKeyID();
        boolean candidate = false;
        for (JwtKeys.VerificationKey key : keys.keys()) {
            if (!key.algorithm().equals(alg) || (kid != null && key.kid() != null && !kid.equals(key.kid()))) {
                continue;
            }
            candidate = true;
            try {
                if (jws.verify(key.verifier())) {
                    return FilterDecision.CONTINUE;
                }
            } catch (JOSEException | IllegalStateException e) {
                // A key that cannot check this token (e.g. a wrong curve) is just not the signer.
            }
        }
        return candidate ? badSignature : unknownKey;
    }

    private FilterDecision checkClaims(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp == null && settings.requireExpiration()) {
            return noExpiration;
        }
        Date nbf = claims.getNotBeforeTime();
        FilterDecision times = checkTimes(nbf == null ? Long.MIN_VALUE : nbf.getTime(),
                exp == null ? Long.MAX_VALUE : exp.getTime());
        if (times != FilterDecision.CONTINUE) {
            return times;
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            return wrongIssuer;
        }
        if (!audiences.isEmpty() && !anyAudienceAccepted(claims.getAudience())) {
            return wrongAudience;
        }
        return FilterDecision.CONTINUE;
    }

    /** {@code exp} and {@code nbf} (epoch millis; MIN/MAX when absent) against the clock, with skew. */
    private FilterDecision checkTimes(long notBefore, long expires) {
        long now = clock.millis();
        if (expires != Long.MAX_VALUE && now - skewMillis >= expires) {
            return expired;
        }
        if (notBefore != Long.MIN_VALUE && now + skewMillis < notBefore) {
            return notYetValid;
        }
        return FilterDecision.CONTINUE;
    }

    private boolean anyAudienceAccepted(List<String> tokenAudiences) {
        for (int i = 0; i < tokenAudiences.size(); i++) {
            if (audiences.contains(tokenAudiences.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** A claim as a header value, or null when it is an object or holds characters a header cannot. */
    private static @Nullable String headerValue(Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Date d) {
            text = Long.toString(d.getTime() / 1000);
        } else if (value instanceof Number || value instanceof Boolean) {
            text = value.toString();
        } else if (value instanceof List<?> list) {
            StringBuilder joined = new StringBuilder();
            for (Object item : list) {
                if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
                    return null;
                }
                if (joined.length() > 0) {
                    joined.append(',');
                }
                joined.append(item);
            }
            text = joined.toString();
        } else {
            return null;
        }
        return JwtAuthSettings.hasControl(text) || text.length() > 4096 ? null : text;
    }
}
