package dev.sluice.agent.admin;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Counts every admin call by rpc ("Service/Method") and final status code, refusals by the
 * authentication interceptor included (install it outside that interceptor).
 */
final class MetricsInterceptor implements ServerInterceptor {

  private final AdminMetrics metrics;

  MetricsInterceptor(AdminMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    String rpc = (service == null ? "" : service.substring(service.lastIndexOf('.') + 1)) + "/"
        + call.getMethodDescriptor().getBareMethodName();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        metrics.callFinished(rpc, status.getCode().name());
        super.close(status, trailers);
      }
    }, headers);
  }
}
