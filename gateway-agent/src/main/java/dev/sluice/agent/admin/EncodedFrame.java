package dev.sluice.agent.admin;

import com.google.protobuf.CodedOutputStream;
import dev.sluice.admin.v1.TelemetryFrame;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One {@code TelemetryFrame} ready for the wire: a stream's own {@code sequence} and
 * {@code coalesced_frames} around a body (fields 2–8) that is encoded once and shared by every
 * watcher of a group. The bytes are exactly the canonical encoding of the message, and
 * {@link #MARSHALLER} writes them without copying the body or parsing it again; the body array
 * must never be changed once shared.
 */
final class EncodedFrame {

  /** Writes a frame's bytes as they are; parsing keeps the received bytes as the body. */
  static final MethodDescriptor.Marshaller<EncodedFrame> MARSHALLER = new PassThrough();

  private final byte[] head;
  private final byte[] body;
  private final byte[] tail;

  /**
   * {@code body} is a {@code TelemetryFrame} encoded with sequence and coalesced_frames left at 0,
   * so that the fields set here, written before and after it, keep the field order canonical.
   */
  EncodedFrame(long sequence, long coalescedFrames, byte[] body) {
    this.head = field(TelemetryFrame.SEQUENCE_FIELD_NUMBER, sequence);
    this.body = body;
    this.tail = field(TelemetryFrame.COALESCED_FRAMES_FIELD_NUMBER, coalescedFrames);
  }

  int size() {
    return head.length + body.length + tail.length;
  }

  /** The frame's bytes as one new array (for tests and logs; the wire does not copy). */
  byte[] toByteArray() {
    byte[] all = new byte[size()];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    System.arraycopy(tail, 0, all, head.length + body.length, tail.length);
    return all;
  }

  /** A proto3 int64 field, or nothing when it is 0 (as the generated code writes it). */
  private static byte[] field(int number, long value) {
    if (value == 0) {
      return new byte[0];
    }
    byte[] bytes = new byte[CodedOutputStream.computeInt64Size(number, value)];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt64(number, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the array is exactly as long as needed
    }
    out.checkNoSpaceLeft();
    return bytes;
  }

  private static final class PassThrough implements MethodDescriptor.Marshaller<EncodedFrame> {
    @Override
    public InputStream stream(EncodedFrame frame) {
      return frame.new Bytes();
    }

    @Override
    public EncodedFrame parse(InputStream stream) {
      try {
        return new EncodedFrame(0, 0, stream.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The frame's bytes for gRPC: {@link KnownLength} lets it write the length prefix without
   * buffering, {@link Drainable} lets it copy the arrays straight into its outbound buffer.
   */
  private final class Bytes extends InputStream implements KnownLength, Drainable {
    private int position;

    @Override
    public int available() {
      return size() - position;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int drained = available();
      int offset = position;
      offset = drain(head, offset, target);
      offset = drain(body, offset, target);
      drain(tail, offset, target);
      position = size();
      return drained;
    }

    /** Writes the part of {@code part} at or after {@code offset}; returns the offset past it. */
    private static int drain(byte[] part, int offset, OutputStream target) throws IOException {
      if (offset < part.length) {
        target.write(part, offset, part.length - offset);
        return 0;
      }
      return offset - part.length;
    }

    @Override
    public int read() {
      if (available() == 0) {
        return -1;
      }
      byte[] one = new byte[1];
      read(one, 0, 1);
      return one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int count = Math.min(length, available());
      if (count == 0) {
        return -1;
      }
      for (int copied = 0; copied < count; ) {
        int at = position;
        byte[] part = head;
        if (at >= head.length) {
          at -= head.length;
          part = body;
          if (at >= body.length) {
            at -= body.length;
            part = tail;
          }
        }
        int n = Math.min(count - copied, part.length - at);
        System.arraycopy(part, at, target, offset + copied, n);
        copied += n;
        position += n;
      }
      return count;
    }
  }
}
