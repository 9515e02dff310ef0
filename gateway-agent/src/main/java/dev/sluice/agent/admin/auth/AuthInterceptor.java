package dev.sluice.agent.admin.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every admin call and enforces roles: a bearer token ({@code authorization: Bearer
 * <token>}) wins over a client certificate; without either the call is refused with
 * {@code UNAUTHENTICATED}, and a viewer calling a mutating service gets {@code PERMISSION_DENIED}
 * naming the role it needs. Every refusal goes to the denial listener; tokens never reach a log.
 */
public final class AuthInterceptor implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  /** Services that change the gateway and need the operator role. */
  public static final Set<String> OPERATOR_SERVICES = Set.of("sluice.admin.v1.ControlService");

  private final Authenticator authenticator;
  private final Consumer<AuthDenial> denials;
  private final Clock clock;

  public AuthInterceptor(Authenticator authenticator, Consumer<AuthDenial> denials, Clock clock) {
    this.authenticator = authenticator;
    this.denials = denials;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String header = headers.get(AUTHORIZATION);
    Principal principal;
    if (header != null) {
      String token = bearerToken(header);
      if (token == null) {
        return refuse(call, null, Status.UNAUTHENTICATED,
            "authorization header must be 'Bearer <token>'");
      }
      Optional<Principal> found = authenticator.authenticateToken(token);
      if (found.isEmpty()) {
        return refuse(call, null, Status.UNAUTHENTICATED, "unknown token");
      }
      principal = found.get();
    } else {
      X509Certificate certificate = peerCertificate(call);
      Optional<Principal> found = certificate == null ? Optional.empty()
          : authenticator.authenticateCertificate(certificate);
      if (found.isEmpty()) {
        String message = certificate == null ? "missing bearer token"
            : "missing bearer token (client certificate "
                + certificate.getSubjectX500Principal().getName() + " maps to no principal)";
        return refuse(call, null, Status.UNAUTHENTICATED, message);
      }
      principal = found.get();
    }
    String service = method.getServiceName();
    if (service != null && OPERATOR_SERVICES.contains(service) && principal.role() != Role.OPERATOR) {
      return refuse(call, principal, Status.PERMISSION_DENIED,
          "role " + principal.role().label() + " may not call " + simpleName(service) + "/"
              + method.getBareMethodName() + "; operator needed");
    }
    Context context = Context.current().withValue(AuthContext.PRINCIPAL, principal);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, @Nullable Principal principal, Status status, String message) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String service = method.getServiceName() == null ? "" : simpleName(method.getServiceName());
    String bare = method.getBareMethodName() == null ? "" : method.getBareMethodName();
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    AuthDenial denial = new AuthDenial(clock.instant(), principal, service, bare, status.getCode(),
        message, remote == null ? "" : remote.toString());
    try {
      denials.accept(denial);
    } catch (RuntimeException e) {
      log.warn("Denial listener failed for {}/{}", service, bare, e);
    }
    call.close(status.withDescription(message), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static @Nullable String bearerToken(String header) {
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return null;
    }
    String token = header.substring(space + 1).strip();
    return token.isEmpty() ? null : token;
  }

  private static @Nullable X509Certificate peerCertificate(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      return Authenticator.firstX509(session.getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static String simpleName(String fullServiceName) {
    return fullServiceName.substring(fullServiceName.lastIndexOf('.') + 1);
  }
}
