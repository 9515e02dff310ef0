package dev.sluice.bench;

import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.admin.v1.WatchTelemetryRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds N telemetry watchers open against an agent's admin listener (plaintext, loopback) until it
 * is killed, as the console would: each asks for a frame every interval and reads every frame.
 * Used by {@code bench/load/watchers.sh}; prints the frames received so far once a second, and how
 * many due frames the agent merged into them because a watcher was not ready.
 *
 * <p>Usage: {@code TelemetryWatchers HOST:PORT WATCHERS INTERVAL_MS} with the token in
 * {@code SLUICE_TOKEN}.
 */
public final class TelemetryWatchers {

  private TelemetryWatchers() {}

  public static void main(String[] args) throws InterruptedException {
    String target = args[0];
    int watchers = Integer.parseInt(args[1]);
    long intervalMillis = Long.parseLong(args[2]);
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + System.getenv("SLUICE_TOKEN"));
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    TelemetryServiceGrpc.TelemetryServiceStub stub = TelemetryServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    AtomicLong frames = new AtomicLong();
    AtomicLong coalesced = new AtomicLong();
    CountDownLatch failed = new CountDownLatch(1);
    WatchTelemetryRequest request = WatchTelemetryRequest.newBuilder()
        .setInterval(com.google.protobuf.Duration.newBuilder()
            .setSeconds(intervalMillis / 1000).setNanos((int) (intervalMillis % 1000) * 1_000_000))
        .build();
    for (int i = 0; i < watchers; i++) {
      stub.watchTelemetry(request, new StreamObserver<>() {
        @Override
        public void onNext(TelemetryFrame frame) {
          frames.incrementAndGet();
          coalesced.addAndGet(frame.getCoalescedFrames());
        }

        @Override
        public void onError(Throwable t) {
          System.err.println("watcher failed: " + t);
          failed.countDown();
        }

        @Override
        public void onCompleted() {
          failed.countDown();
        }
      });
    }
    // Progress once a second, so that whoever stops this process can read how many frames arrived.
    while (!failed.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      System.out.println(watchers + " watchers received " + frames.get() + " frames ("
          + coalesced.get() + " more coalesced into them)");
    }
    System.exit(1);
  }
}
