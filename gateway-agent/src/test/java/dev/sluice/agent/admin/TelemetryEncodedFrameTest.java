package dev.sluice.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.RouteTelemetry;
import dev.sluice.admin.v1.TelemetryFrame;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The pre-encoded frame is byte for byte what protobuf itself would write. */
class TelemetryEncodedFrameTest {

  private static final TelemetryFrame BODY = TelemetryFrame.newBuilder()
      .setTime(AdminProtoMapper.timestamp(java.time.Instant.parse("2026-03-01T12:00:01Z")))
      .setInterval(AdminProtoMapper.duration(java.time.Duration.ofMillis(100)))
      .setConfigVersion(3)
      .addLatencyBoundsMicros(100).addLatencyBoundsMicros(200)
      .addRoutes(RouteTelemetry.newBuilder().setRouteId("users").setRequests(12).setInFlight(2))
      .build();

  private static byte[] canonical(long sequence, long coalesced) {
    return BODY.toBuilder().setSequence(sequence).setCoalescedFrames(coalesced).build()
        .toByteArray();
  }

  @Test
  void bytesAreTheCanonicalEncodingForSmallAndLargeSequencesAndCoalescedCounts() {
    long[][] cases = {{1, 0}, {127, 0}, {128, 1}, {300, 599}, {Long.MAX_VALUE, 1L << 40}};
    for (long[] c : cases) {
      EncodedFrame frame = new EncodedFrame(c[0], c[1], BODY.toByteArray());
      assertThat(frame.toByteArray()).as("sequence %s, coalesced %s", c[0], c[1])
          .isEqualTo(canonical(c[0], c[1]));
    }
  }

  @Test
  void streamDrainsAndReadsTheSameBytesAndKnowsItsLength() throws IOException {
    EncodedFrame frame = new EncodedFrame(300, 5, BODY.toByteArray());
    byte[] expected = canonical(300, 5);

    InputStream drained = EncodedFrame.MARSHALLER.stream(frame);
    assertThat(drained).isInstanceOf(KnownLength.class).isInstanceOf(Drainable.class);
    assertThat(drained.available()).isEqualTo(expected.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(((Drainable) drained).drainTo(out)).isEqualTo(expected.length);
    assertThat(out.toByteArray()).isEqualTo(expected);
    assertThat(drained.available()).isZero();
    assertThat(drained.read()).isEqualTo(-1);

    InputStream read = EncodedFrame.MARSHALLER.stream(frame);
    ByteArrayOutputStream readOut = new ByteArrayOutputStream();
    readOut.write(read.read());
    byte[] chunk = new byte[7];
    for (int n = read.read(chunk, 0, chunk.length); n > 0; n = read.read(chunk, 0, chunk.length)) {
      readOut.write(chunk, 0, n);
    }
    assertThat(readOut.toByteArray()).isEqualTo(expected);
  }

  @Test
  void partlyReadStreamDrainsTheRest() throws IOException {
    EncodedFrame frame = new EncodedFrame(300, 5, BODY.toByteArray());
    byte[] expected = canonical(300, 5);
    InputStream stream = EncodedFrame.MARSHALLER.stream(frame);
    byte[] start = new byte[5];
    assertThat(stream.read(start, 0, 5)).isEqualTo(5);
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    ((Drainable) stream).drainTo(rest);
    assertThat(rest.toByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(expected, 5, expected.length));
  }

  @Test
  void parsedBytesWriteBackUnchanged() throws IOException {
    byte[] wire = canonical(9, 2);
    EncodedFrame parsed = EncodedFrame.MARSHALLER.parse(new java.io.ByteArrayInputStream(wire));
    assertThat(parsed.toByteArray()).isEqualTo(wire);
    assertThat(TelemetryFrame.parseFrom(EncodedFrame.MARSHALLER.stream(parsed))).isEqualTo(
        BODY.toBuilder().setSequence(9).setCoalescedFrames(2).build());
  }
}
