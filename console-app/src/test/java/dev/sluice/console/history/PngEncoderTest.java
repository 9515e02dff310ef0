package dev.sluice.console.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

  @Test
  void writesAnRgbaPngWhosePixelsInflateBackWithValidChunkChecksums() throws Exception {
    int[] argb = {0xff112233, 0x80445566, 0x00000000, 0xffffffff, 0xff0000ff, 0x7f00ff00};
    byte[] png = PngEncoder.encode(3, 2, argb);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(png));
    byte[] signature = in.readNBytes(8);
    assertThat(signature).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    byte[] idat = null;
    int width = 0;
    int height = 0;
    while (in.available() > 0) {
      int length = in.readInt();
      byte[] type = in.readNBytes(4);
      byte[] data = in.readNBytes(length);
      CRC32 crc = new CRC32();
      crc.update(type);
      crc.update(data);
      assertThat(in.readInt()).isEqualTo((int) crc.getValue());
      String name = new String(type, java.nio.charset.StandardCharsets.US_ASCII);
      if (name.equals("IHDR")) {
        width = java.nio.ByteBuffer.wrap(data).getInt(0);
        height = java.nio.ByteBuffer.wrap(data).getInt(4);
        assertThat(data[8]).as("bit depth").isEqualTo((byte) 8);
        assertThat(data[9]).as("colour type RGBA").isEqualTo((byte) 6);
      } else if (name.equals("IDAT")) {
        idat = data;
      }
    }
    assertThat(width).isEqualTo(3);
    assertThat(height).isEqualTo(2);
    byte[] raw = new InflaterInputStream(new ByteArrayInputStream(idat)).readAllBytes();
    assertThat(raw).hasSize(2 * (1 + 3 * 4));
    assertThat(raw[0]).as("filter none").isZero();
    assertThat(new byte[] {raw[1], raw[2], raw[3], raw[4]})
        .containsExactly(0x11, 0x22, 0x33, 0xff);
    assertThat(new byte[] {raw[5], raw[6], raw[7], raw[8]})
        .containsExactly(0x44, 0x55, 0x66, 0x80);
  }

  @Test
  void refusesPixelsThatDoNotFillTheImage() {
    assertThatThrownBy(() -> PngEncoder.encode(2, 2, new int[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 × 2");
  }
}
