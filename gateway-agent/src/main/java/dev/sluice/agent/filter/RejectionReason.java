package dev.sluice.agent.filter;

/**
 * Why a filter refused a request: a small closed set, so it can label a metric ({@link #label()})
 * without unbounded cardinality.
 */
public enum RejectionReason {
    JWT_MISSING("jwt_missing"),
    JWT_MALFORMED("jwt_malformed"),
    JWT_ALGORITHM("jwt_algorithm"),
    JWT_UNKNOWN_KEY("jwt_unknown_key"),
    JWT_BAD_SIGNATURE("jwt_bad_signature"),
    JWT_EXPIRED("jwt_expired"),
    JWT_NOT_YET_VALID("jwt_not_yet_valid"),
    JWT_ISSUER("jwt_issuer"),
    JWT_AUDIENCE("jwt_audience"),
    JWT_CLAIMS("jwt_claims"),
    API_KEY_MISSING("api_key_missing"),
    API_KEY_UNKNOWN("api_key_unknown"),
    VALIDATION("validation"),
    CORS_ORIGIN("cors_origin"),
    CORS_METHOD("cors_method"),
    CORS_HEADERS("cors_headers"),
    RESPONSE_TOO_LARGE("response_too_large");

    private final String label;

    RejectionReason(String label) {
        this.label = label;
    }

    /** The value of the {@code reason} metric label. */
    public String label() {
        return label;
    }
}
