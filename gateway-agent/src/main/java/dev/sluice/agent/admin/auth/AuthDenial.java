package dev.sluice.agent.admin.auth;

import io.grpc.Status;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A call the {@link AuthInterceptor} refused, as handed to the denial listener (e.g. to audit it).
 * Holds no credential.
 *
 * @param principal null when the caller could not be authenticated
 * @param service the gRPC service's simple name, e.g. "ControlService"
 * @param method the method's simple name, e.g. "TripBreaker"
 */
public record AuthDenial(
    Instant time,
    @Nullable Principal principal,
    String service,
    String method,
    Status.Code code,
    String message,
    String remoteAddress) {}
