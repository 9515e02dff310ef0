package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.agent.config.Violation;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthFilterTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ISSUER = "https://id.example.com";
    static final String SECRET = "a-shared-hmac-secret-of-at-least-32-bytes!";

    static KeyPair rsa;
    static KeyPair otherRsa;
    static KeyPair ec;

    @TempDir Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        rsa = rsaGen.generateKeyPair();
        otherRsa = rsaGen.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
    }

    static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience("orders-api")
                .subject("user-42")
                .claim("scope", List.of("orders:read", "orders:write"))
                .claim("tenant", "acme")
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String rs256(JWTClaimsSet claims) throws Exception {
        return sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa.getPrivate()), claims);
    }

    static JwtAuthSettings settings(List<JwtAuthSettings.Key> keys) {
        return new JwtAuthSettings(ISSUER, List.of("orders-api"), List.of(), keys, null, Duration.ofSeconds(30), true,
                Map.of("sub", "X-User-Id", "scope", "X-User-Scope"), "sluice");
    }

    static JwtAuthFilter rsaFilter() {
        return JwtAuthFilter.create(settings(List.of(new JwtAuthSettings.Key("rsa-1", null, pem(rsa)))), CLOCK);
    }

    static FilterExchange bearer(String token, String... extraHeaders) {
        HttpHeaders headers = Requests.headers(extraHeaders);
        headers.set("Authorization", "Bearer " + token);
        return Requests.withHeaders(HttpMethod.GET, "/orders", headers);
    }

    static Rejection rejected(FilterDecision decision) {
        assertThat(decision).isInstanceOf(Rejection.class);
        return (Rejection) decision;
    }

    @Test
    void validTokenContinuesAndForwardsClaimsReplacingClientSentCopies() throws Exception {
        FilterExchange request = bearer(rs256(validClaims().build()), "X-User-Id", "admin", "x-user-scope", "everything");

        assertThat(rsaFilter().onRequest(request)).isSameAs(FilterDecision.CONTINUE);

        assertThat(request.headers().getAll("X-User-Id")).containsExactly("user-42");
        assertThat(request.headers().getAll("X-User-Scope")).containsExactly("orders:read,orders:write");
    }

    @Test
    void clientSentClaimHeadersAreRemovedEvenWhenTheTokenIsRefused() {
        HttpHeaders headers = Requests.headers("X-User-Id", "admin");
        FilterExchange request = Requests.withHeaders(HttpMethod.GET, "/orders", headers);

        FilterDecision decision = rsaFilter().onRequest(request);

        assertThat(rejected(decision).reason()).isEqualTo(RejectionReason.JWT_MISSING);
        assertThat(headers.contains("X-User-Id")).isFalse();
    }

    @Test
    void missingTokenGetsABearerChallengeWithoutAnErrorCode() {
        Rejection rejection = rejected(rsaFilter().onRequest(Requests.get("/orders")));

        assertThat(rejection.status().code()).isEqualTo(401);
        assertThat(rejection.headers()).containsExactly(Map.entry("www-authenticate", "Bearer realm=\"sluice\""));
    }

    @Test
    void expiredTokenIsRefusedWithAnInvalidTokenChallenge() throws Exception {
        String token = rs256(validClaims().expirationTime(Date.from(NOW.minusSeconds(31))).build());

        Rejection rejection = rejected(rsaFilter().onRequest(bearer(token)));

        assertThat(rejection.reason()).isEqualTo(RejectionReason.JWT_EXPIRED);
        assertThat(rejection.reason().label()).isEqualTo("jwt_expired");
        assertThat(rejection.headers().get(0).getValue()).isEqualTo(
                "Bearer realm=\"sluice\", error=\"invalid_token\", error_description=\"the token has expired\"");
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() throws Exception {
        String token = rs256(validClaims().expirationTime(Date.from(NOW.minusSeconds(20))).build());

        assertThat(rsaFilter().onRequest(bearer(token))).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void tokenNotYetValidIsRefused() throws Exception {
        String token = rs256(validClaims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_NOT_YET_VALID);
    }

    @Test
    void tokenWithoutExpirationIsRefusedByDefault() throws Exception {
        String token = rs256(validClaims().expirationTime(null).build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_CLAIMS);
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        String token = rs256(validClaims().audience(List.of("billing-api", "reports-api")).build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_AUDIENCE);
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        String token = rs256(validClaims().issuer("https://evil.example.com").build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_ISSUER);
    }

    @Test
    void tokenSignedByAnotherKeyIsRefusedAsBadSignature() throws Exception {
        String token = sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(otherRsa.getPrivate()), validClaims().build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_BAD_SIGNATURE);
    }

    @Test
    void tamperedPayloadIsRefusedAsBadSignature() throws Exception {
        String[] parts = rs256(validClaims().build()).split("\\.");
        String forged = Base64URL.encode(validClaims().subject("admin").build().toString()).toString();

        FilterDecision decision = rsaFilter().onRequest(bearer(parts[0] + "." + forged + "." + parts[2]));

        assertThat(rejected(decision).reason()).isEqualTo(RejectionReason.JWT_BAD_SIGNATURE);
    }

    @Test
    void unsignedNoneAlgorithmTokenIsRefused() {
        String token = new PlainJWT(validClaims().build()).serialize();

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_ALGORITHM);
    }

    @Test
    void noneAlgorithmHeaderOnASignedTokenIsRefused() throws Exception {
        String[] parts = rs256(validClaims().build()).split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();

        Rejection rejection = rejected(rsaFilter().onRequest(bearer(none + "." + parts[1] + "." + parts[2])));

        assertThat(rejection.reason()).isIn(RejectionReason.JWT_ALGORITHM, RejectionReason.JWT_MALFORMED);
        assertThat(rejection.status().code()).isEqualTo(401);
    }

    @Test
    void hs256TokenUsingTheRsaPublicKeyAsSecretIsRefused() throws Exception {
        // The classic confusion attack: the attacker knows the public key and uses its bytes as an HMAC secret.
        String token = sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(pem(rsa).getBytes(StandardCharsets.US_ASCII)),
                validClaims().build());

        assertThat(rejected(rsaFilter().onRequest(bearer(token))).reason()).isEqualTo(RejectionReason.JWT_ALGORITHM);
    }

    @Test
    void hs256ConfusionIsRefusedEvenWhenAnHmacSecretIsAlsoConfigured() throws Exception {
        JwtAuthFilter both = JwtAuthFilter.create(settings(List.of(
                new JwtAuthSettings.Key("rsa-1", null, pem(rsa)), new JwtAuthSettings.Key("hmac-1", SECRET, null))), CLOCK);
        String token = sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(pem(rsa).getBytes(StandardCharsets.US_ASCII)),
                validClaims().build());

        assertThat(rejected(both.onRequest(bearer(token))).reason()).isIn(
                RejectionReason.JWT_UNKNOWN_KEY, RejectionReason.JWT_BAD_SIGNATURE);
    }

    @Test
    void hs256AndEs256InlineKeysVerify() throws Exception {
        JwtAuthFilter filter = JwtAuthFilter.create(settings(List.of(
                new JwtAuthSettings.Key(null, SECRET, null), new JwtAuthSettings.Key("ec-1", null, pem(ec)))), CLOCK);
        String hs = sign(JWSAlgorithm.HS256, "any", new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), validClaims().build());
        String es = sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner((java.security.interfaces.ECPrivateKey) ec.getPrivate()),
                validClaims().build());

        assertThat(filter.onRequest(bearer(hs))).isSameAs(FilterDecision.CONTINUE);
        assertThat(filter.onRequest(bearer(es))).isSameAs(FilterDecision.CONTINUE);
    }

    @Test
    void aSecondAuthorizationHeaderNextToAValidTokenIsRefused() throws Exception {
        FilterExchange request = bearer(rs256(validClaims().build()));
        request.headers().add("Authorization", "Bearer forged");

        assertThat(rejected(rsaFilter().onRequest(request)).reason()).isEqualTo(RejectionReason.JWT_MALFORMED);
    }

    @Test
    void malformedTokenIsRefused() {
        assertThat(rejected(rsaFilter().onRequest(bearer("not.a.jwt"))).reason()).isEqualTo(RejectionReason.JWT_MALFORMED);
    }

    @Test
    void jwksFileWithSeveralKeysSelectsTheKeyByKid() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("k1").build(),
                new RSAKey.Builder((RSAPublicKey) otherRsa.getPublic()).keyID("k2").build(),
                new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("k3").build())).toString());
        JwtAuthFilter filter = JwtAuthFilter.create(new JwtAuthSettings(ISSUER, List.of("orders-api"), List.of(), List.of(),
                jwks, Duration.ofSeconds(30), true, Map.of(), "sluice"), CLOCK);

        String byK2 = sign(JWSAlgorithm.RS256, "k2", new RSASSASigner(otherRsa.getPrivate()), validClaims().build());
        String k1KeyClaimingK2 = sign(JWSAlgorithm.RS256, "k2", new RSASSASigner(rsa.getPrivate()), validClaims().build());
        String unknownKid = sign(JWSAlgorithm.RS256, "k9", new RSASSASigner(rsa.getPrivate()), validClaims().build());
        String byK3 = sign(JWSAlgorithm.ES256, "k3", new ECDSASigner((java.security.interfaces.ECPrivateKey) ec.getPrivate()),
                validClaims().build());

        assertThat(filter.onRequest(bearer(byK2))).isSameAs(FilterDecision.CONTINUE);
        assertThat(filter.onRequest(bearer(byK3))).isSameAs(FilterDecision.CONTINUE);
        assertThat(rejected(filter.onRequest(bearer(k1KeyClaimingK2))).reason()).isEqualTo(RejectionReason.JWT_BAD_SIGNATURE);
        assertThat(rejected(filter.onRequest(bearer(unknownKid))).reason()).isEqualTo(RejectionReason.JWT_UNKNOWN_KEY);
    }

    @Test
    void reloadingTheJwksFilePicksUpARotatedKeyAndABrokenFileKeepsTheOldKeys() throws Exception {
        Path jwks = dir.resolve("rotating.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("old").build()).toString());
        JwtAuthFilter filter = JwtAuthFilter.create(new JwtAuthSettings(ISSUER, List.of(), List.of(), List.of(), jwks,
                Duration.ZERO, true, Map.of(), "sluice"), CLOCK);
        String oldToken = sign(JWSAlgorithm.RS256, "old", new RSASSASigner(rsa.getPrivate()), validClaims().build());
        String newToken = sign(JWSAlgorithm.RS256, "new", new RSASSASigner(otherRsa.getPrivate()), validClaims().build());
        assertThat(rejected(filter.onRequest(bearer(newToken))).reason()).isEqualTo(RejectionReason.JWT_UNKNOWN_KEY);

        Files.writeString(jwks, "{\"keys\": [ {\"kty\": \"RSA\", \"kid\": \"half-writ");
        assertThat(filter.reloadKeys()).singleElement().extracting(Violation::path).isEqualTo("jwt-auth.jwksFile");
        assertThat(filter.onRequest(bearer(oldToken))).isSameAs(FilterDecision.CONTINUE);

        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) otherRsa.getPublic()).keyID("new").build()).toString());
        assertThat(filter.reloadKeys()).isEmpty();
        assertThat(filter.onRequest(bearer(newToken))).isSameAs(FilterDecision.CONTINUE);
        assertThat(rejected(filter.onRequest(bearer(oldToken))).reason()).isEqualTo(RejectionReason.JWT_UNKNOWN_KEY);
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = NOW;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static FilterExchange nextRequest(FilterExchange connection, String token, String... extraHeaders) {
        HttpHeaders headers = Requests.headers(extraHeaders);
        headers.set("Authorization", "Bearer " + token);
        return connection.begin(HttpMethod.GET, "/orders", PathParamSource.NONE, null, headers, "127.0.0.1", "req-n");
    }

    @Test
    void aTokenRepeatedOnAConnectionStillForwardsClaimsStripsCopiesAndExpires() throws Exception {
        MovableClock clock = new MovableClock();
        FilterChain chain = FilterChain.of(List.of(JwtAuthFilter.create(
                settings(List.of(new JwtAuthSettings.Key("rsa-1", null, pem(rsa)))), clock)), null);
        FilterExchange connection = new FilterExchange();
        String token = rs256(validClaims().build());

        assertThat(chain.onRequest(nextRequest(connection, token))).isSameAs(FilterDecision.CONTINUE);
        FilterExchange second = nextRequest(connection, token, "X-User-Id", "admin");
        assertThat(chain.onRequest(second)).isSameAs(FilterDecision.CONTINUE);
        assertThat(second.headers().getAll("X-User-Id")).containsExactly("user-42");

        clock.advance(Duration.ofSeconds(331));
        assertThat(rejected(chain.onRequest(nextRequest(connection, token))).reason()).isEqualTo(RejectionReason.JWT_EXPIRED);
    }

    @Test
    void aTokenRememberedOnAConnectionIsVerifiedAgainAfterAKeyReload() throws Exception {
        Path jwks = dir.resolve("remembered.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("old").build()).toString());
        JwtAuthFilter filter = JwtAuthFilter.create(new JwtAuthSettings(ISSUER, List.of(), List.of(), List.of(), jwks,
                Duration.ZERO, true, Map.of(), "sluice"), CLOCK);
        FilterChain chain = FilterChain.of(List.of(filter), null);
        FilterExchange connection = new FilterExchange();
        String token = sign(JWSAlgorithm.RS256, "old", new RSASSASigner(rsa.getPrivate()), validClaims().build());
        assertThat(chain.onRequest(nextRequest(connection, token))).isSameAs(FilterDecision.CONTINUE);

        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) otherRsa.getPublic()).keyID("new").build()).toString());
        assertThat(filter.reloadKeys()).isEmpty();

        assertThat(rejected(chain.onRequest(nextRequest(connection, token))).reason()).isEqualTo(RejectionReason.JWT_UNKNOWN_KEY);
    }

    @Test
    void aTokenRememberedByOneRoutesFilterIsNotTrustedByAnotherRoutes() throws Exception {
        JwtAuthFilter orders = rsaFilter();
        JwtAuthFilter billing = JwtAuthFilter.create(new JwtAuthSettings(ISSUER, List.of("billing-api"), List.of(),
                List.of(new JwtAuthSettings.Key("rsa-1", null, pem(rsa))), null, Duration.ofSeconds(30), true, Map.of(),
                "sluice"), CLOCK);
        FilterExchange connection = new FilterExchange();
        String token = rs256(validClaims().build());

        assertThat(FilterChain.of(List.of(orders), null).onRequest(nextRequest(connection, token))).isSameAs(FilterDecision.CONTINUE);
        FilterDecision other = FilterChain.of(List.of(billing), null).onRequest(nextRequest(connection, token));

        assertThat(rejected(other).reason()).isEqualTo(RejectionReason.JWT_AUDIENCE);
    }

    @Test
    void settingsFromTheFiltersBlockReportEveryProblemAtOnce() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "jwt-auth");
        spec.put("keys", List.of(Map.of("kid", "short", "secret", "too-short"), Map.of("kid", "both")));
        spec.put("algorithms", List.of("RS256", "none"));
        spec.put("clockSkew", "forever");
        spec.put("forwardClaims", Map.of("sub", "Host", "role", "X User"));
        spec.put("audience", "typo");

        FilterChain.Result result = FilterChain.build(List.of(spec), "routes[0].filters", CLOCK);

        assertThat(result.chain()).isNull();
        assertThat(result.violations()).extracting(Violation::path).contains(
                "routes[0].filters[0].audience",
                "routes[0].filters[0].clockSkew",
                "routes[0].filters[0].keys[0].secret",
                "routes[0].filters[0].keys[1]",
                "routes[0].filters[0].algorithms[1]",
                "routes[0].filters[0].forwardClaims.sub",
                "routes[0].filters[0].forwardClaims.role");
    }

    @Test
    void aRejectionBecomesA401EnvelopeWithTheChallenge() throws Exception {
        Rejection rejection = rejected(rsaFilter().onRequest(bearer("garbage")));

        FullHttpResponse response = rejection.toResponse(ByteBufAllocator.DEFAULT, "req-7");
        try {
            assertThat(response.status().code()).isEqualTo(401);
            assertThat(response.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");
            assertThat(response.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"code\":401,\"message\":\"the bearer token is malformed\",\"requestId\":\"req-7\"}");
        } finally {
            response.release();
        }
    }
}
