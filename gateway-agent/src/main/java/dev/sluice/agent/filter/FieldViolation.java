package dev.sluice.agent.filter;

import dev.sluice.agent.http.ErrorEnvelope;

/**
 * One failed request-validation rule: the field ({@code query.page}, {@code path.id},
 * {@code header.x-tenant}) and the rule it broke ({@code integer}, {@code required}, {@code max}).
 */
public record FieldViolation(String field, String rule) implements ErrorEnvelope.FieldError {}
