package dev.sluice.agent.admin;

import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client side of one WatchTelemetry stream in tests: collects its frames; with {@code manual}
 * it requests none until told to through {@link #call} (a stalled reader).
 */
final class TelemetryFrames implements ClientResponseObserver<WatchTelemetryRequest, TelemetryFrame> {

  final List<TelemetryFrame> frames = new CopyOnWriteArrayList<>();
  final boolean manual;
  volatile ClientCallStreamObserver<WatchTelemetryRequest> call;

  TelemetryFrames(boolean manual) {
    this.manual = manual;
  }

  static WatchTelemetryRequest every(Duration interval) {
    return WatchTelemetryRequest.newBuilder().setInterval(AdminProtoMapper.duration(interval))
        .build();
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchTelemetryRequest> requestStream) {
    call = requestStream;
    if (manual) {
      requestStream.disableAutoRequestWithInitial(0);
    }
  }

  @Override
  public void onNext(TelemetryFrame frame) {
    frames.add(frame);
  }

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}

  /** The requests of this route summed over every frame received so far. */
  long requestsOf(String routeId) {
    long total = 0;
    for (TelemetryFrame frame : frames) {
      for (RouteTelemetry route : frame.getRoutesList()) {
        if (route.getRouteId().equals(routeId)) {
          total += route.getRequests();
        }
      }
    }
    return total;
  }
}
