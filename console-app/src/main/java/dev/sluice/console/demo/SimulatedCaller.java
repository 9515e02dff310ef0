package dev.sluice.console.demo;

import dev.sluice.admin.v1.Role;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Who is calling the simulated gateway, from the bearer token: the token {@code viewer} reads only;
 * any other token, or none, is the demo operator. A stand-in for the agent's real token and mTLS
 * authentication.
 */
record SimulatedCaller(String principal, Role role) {
  static final String VIEWER_TOKEN = "viewer";
  static final SimulatedCaller OPERATOR = new SimulatedCaller("demo-operator", Role.ROLE_OPERATOR);
  static final SimulatedCaller VIEWER = new SimulatedCaller("demo-viewer", Role.ROLE_VIEWER);

  private static final Context.Key<SimulatedCaller> KEY = Context.key("sluice-caller");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The caller of the rpc being served. */
  static SimulatedCaller current() {
    SimulatedCaller caller = KEY.get();
    return caller == null ? OPERATOR : caller;
  }

  /** Puts the caller named by the request's token into the call's context. */
  static final class Interceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String header = headers.get(AUTHORIZATION);
      SimulatedCaller caller =
          ("Bearer " + VIEWER_TOKEN).equals(header) ? VIEWER : OPERATOR;
      return Contexts.interceptCall(Context.current().withValue(KEY, caller), call, headers, next);
    }
  }
}
