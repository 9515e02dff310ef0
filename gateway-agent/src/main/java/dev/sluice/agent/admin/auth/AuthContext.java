package dev.sluice.agent.admin.auth;

import io.grpc.Context;
import java.util.Optional;

/**
 * Where the {@link AuthInterceptor} leaves the caller's {@link Principal}: in the gRPC
 * {@link Context} of the call, so services read it with {@link #principal()} on the call's thread.
 */
public final class AuthContext {

  /** The authenticated caller of the current gRPC call. */
  public static final Context.Key<Principal> PRINCIPAL = Context.key("sluice-principal");

  private AuthContext() {}

  /** The current call's principal; empty outside a call that went through the interceptor. */
  public static Optional<Principal> principal() {
    return Optional.ofNullable(PRINCIPAL.get());
  }
}
