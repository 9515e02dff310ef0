package dev.sluice.admin.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract over a real gRPC connection on loopback: messages round-trip, a stream delivers frames, and refusals
 * carry the typed details (field violations, version conflict) a console needs to explain them.
 */
class TransportTest {

  private static Server server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TrivialAgent())
        .addService(new TrivialTelemetry())
        .addService(new StrictControl())
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void readsAgentInfoOverTcp() {
    AgentInfo info = AgentServiceGrpc.newBlockingStub(channel).getAgentInfo(GetAgentInfoRequest.getDefaultInstance());

    assertThat(info.getAgentId()).isEqualTo("edge-1");
    assertThat(info.getCluster()).isEqualTo("eu-west");
    assertThat(info.getConfigVersion()).isEqualTo(42);
    assertThat(info.getFeaturesList()).containsExactly("telemetry", "history");
  }

  @Test
  void telemetryFramesStreamWithTheIntervalAsked() {
    Iterator<TelemetryFrame> frames = TelemetryServiceGrpc.newBlockingStub(channel)
        .watchTelemetry(WatchTelemetryRequest.newBuilder()
            .setInterval(Duration.newBuilder().setNanos(250_000_000)).build());

    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TelemetryFrame frame = frames.next();
      sequences.add(frame.getSequence());
      assertThat(frame.getInterval().getNanos()).isEqualTo(250_000_000);
      assertThat(frame.getRoutes(0).getHistogram().getCountsCount())
          .isEqualTo(frame.getLatencyBoundsMicrosCount() + 1);
    }
    assertThat(sequences).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aStaleVersionIsRefusedWithTheCurrentVersionAsADetail() {
    ControlServiceGrpc.ControlServiceBlockingStub control = ControlServiceGrpc.newBlockingStub(channel);
    TripBreakerRequest stale = TripBreakerRequest.newBuilder()
        .setContext(ChangeContext.newBuilder().setExpectedVersion(41).setReason("upstream melting"))
        .setService("users")
        .build();

    assertThatThrownBy(() -> control.tripBreaker(stale))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          com.google.rpc.Status status = StatusProto.fromThrowable(e);
          assertThat(status.getCode()).isEqualTo(Code.FAILED_PRECONDITION_VALUE);
          VersionConflict conflict = unpack(status.getDetails(0), VersionConflict.class);
          assertThat(conflict.getCurrentVersion()).isEqualTo(42);
          assertThat(conflict.getExpectedVersion()).isEqualTo(41);
        });
  }

  @Test
  void aMissingReasonIsRefusedWithTheFieldNamed() {
    ControlServiceGrpc.ControlServiceBlockingStub control = ControlServiceGrpc.newBlockingStub(channel);
    TripBreakerRequest noReason = TripBreakerRequest.newBuilder()
        .setContext(ChangeContext.newBuilder().setExpectedVersion(42))
        .setService("users")
        .build();

    assertThatThrownBy(() -> control.tripBreaker(noReason))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          com.google.rpc.Status status = StatusProto.fromThrowable(e);
          assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
          BadRequest bad = unpack(status.getDetails(0), BadRequest.class);
          assertThat(bad.getFieldViolationsList())
              .extracting(BadRequest.FieldViolation::getField)
              .containsExactly("context.reason");
        });
  }

  @Test
  void aValidTripAnswersWithTheNextVersion() {
    ChangeResult result = ControlServiceGrpc.newBlockingStub(channel).tripBreaker(TripBreakerRequest.newBuilder()
        .setContext(ChangeContext.newBuilder().setExpectedVersion(42).setReason("upstream melting"))
        .setService("users")
        .setTtl(Duration.newBuilder().setSeconds(600))
        .build());

    assertThat(result.getVersion()).isEqualTo(43);
    assertThat(result.hasExpiresAt()).isTrue();
  }

  @Test
  void aSnapshotRoundTripsThroughItsWireForm() throws InvalidProtocolBufferException {
    Snapshot snapshot = Snapshot.newBuilder()
        .setConfigVersion(7)
        .addRoutes(Route.newBuilder()
            .setId("users-get")
            .setMatch(RouteMatch.newBuilder().setPath("/api/v1/users/:id").addMethods("GET"))
            .setService("users")
            .setRateLimit(RateLimitStatus.newBuilder()
                .setEffective(RateLimit.newBuilder().setRequestsPerSecond(50).setBurst(100)
                    .setKey(RateLimitKey.RATE_LIMIT_KEY_CLIENT_IP))))
        .addBreakers(Breaker.newBuilder()
            .setService("users")
            .setComputedState(BreakerState.BREAKER_STATE_CLOSED)
            .setOverride(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN)
            .setOverrideInfo(Override.newBuilder().setSetBy("alice").setReason("deploy rollback")))
        .build();

    Snapshot back = Snapshot.parseFrom(snapshot.toByteArray());

    assertThat(back).isEqualTo(snapshot);
    assertThat(back.getBreakers(0).getComputedState()).isEqualTo(BreakerState.BREAKER_STATE_CLOSED);
    assertThat(back.getBreakers(0).getOverride()).isEqualTo(BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN);
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static final class TrivialAgent extends AgentServiceGrpc.AgentServiceImplBase {
    @java.lang.Override
    public void getAgentInfo(GetAgentInfoRequest request, StreamObserver<AgentInfo> response) {
      response.onNext(AgentInfo.newBuilder()
          .setAgentId("edge-1").setCluster("eu-west").setConfigVersion(42)
          .addFeatures("telemetry").addFeatures("history")
          .build());
      response.onCompleted();
    }
  }

  private static final class TrivialTelemetry extends TelemetryServiceGrpc.TelemetryServiceImplBase {
    @java.lang.Override
    public void watchTelemetry(WatchTelemetryRequest request, StreamObserver<TelemetryFrame> response) {
      for (long seq = 1; seq <= 3; seq++) {
        response.onNext(TelemetryFrame.newBuilder()
            .setSequence(seq)
            .setInterval(request.getInterval())
            .addLatencyBoundsMicros(1_000).addLatencyBoundsMicros(10_000)
            .addRoutes(RouteTelemetry.newBuilder().setRouteId("users-get").setRequests(seq)
                .setHistogram(LatencyHistogram.newBuilder().addCounts(seq).addCounts(0).addCounts(0)))
            .build());
      }
      response.onCompleted();
    }
  }

  /** Checks a trip the way the agent must: reason first, then the version. */
  private static final class StrictControl extends ControlServiceGrpc.ControlServiceImplBase {
    @java.lang.Override
    public void tripBreaker(TripBreakerRequest request, StreamObserver<ChangeResult> response) {
      if (request.getContext().getReason().isBlank()) {
        response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage("context.reason: required")
            .addDetails(Any.pack(BadRequest.newBuilder()
                .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField("context.reason").setDescription("required"))
                .build()))
            .build()));
        return;
      }
      if (request.getContext().getExpectedVersion() != 42) {
        response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
            .setCode(Code.FAILED_PRECONDITION_VALUE)
            .setMessage("config is at version 42")
            .addDetails(Any.pack(VersionConflict.newBuilder()
                .setExpectedVersion(request.getContext().getExpectedVersion())
                .setCurrentVersion(42).build()))
            .build()));
        return;
      }
      response.onNext(ChangeResult.newBuilder()
          .setVersion(43)
          .setExpiresAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_800_000_000L))
          .build());
      response.onCompleted();
    }
  }
}
