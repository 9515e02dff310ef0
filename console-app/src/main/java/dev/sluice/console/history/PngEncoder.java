package dev.sluice.console.history;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes ARGB pixels as a PNG (8-bit RGBA, no interlace) with the JDK's own zlib, so chart images
 * need neither {@code java.desktop} (ImageIO) nor {@code javafx.swing} in the console's runtime.
 */
public final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngEncoder() {}

  /** {@code argb} holds {@code width × height} pixels, row by row, as {@code 0xAARRGGBB}. */
  public static byte[] encode(int width, int height, int[] argb) {
    if (width <= 0 || height <= 0 || argb.length != width * height) {
      throw new IllegalArgumentException("need " + width + " × " + height + " pixels, got " + argb.length);
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_SPEED))) {
      byte[] row = new byte[1 + width * 4];
      for (int y = 0; y < height; y++) {
        row[0] = 0;
        for (int x = 0; x < width; x++) {
          int p = argb[y * width + x];
          int o = 1 + x * 4;
          row[o] = (byte) (p >>> 16);
          row[o + 1] = (byte) (p >>> 8);
          row[o + 2] = (byte) p;
          row[o + 3] = (byte) (p >>> 24);
        }
        z.write(row);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(SIGNATURE);
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", header.array());
    chunk(png, "IDAT", raw.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** A node's pixels as drawn at one moment, to encode later on any thread. */
  public record Pixels(int width, int height, int[] argb) {
    public byte[] png() {
      return encode(width, height, argb);
    }
  }

  /**
   * Pictures a node as it is drawn now: call on the FX thread, then encode the pixels elsewhere
   * ({@link Pixels#png()} compresses, which is too slow for the FX thread with several charts).
   */
  public static Pixels capture(javafx.scene.Node node) {
    javafx.scene.SnapshotParameters parameters = new javafx.scene.SnapshotParameters();
    // Charts are transparent: picture them on what they are drawn over, so a dark theme's light
    // text stays readable.
    parameters.setFill(backdrop(node));
    javafx.scene.image.WritableImage image = node.snapshot(parameters, null);
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    int[] pixels = new int[w * h];
    image.getPixelReader().getPixels(0, 0, w, h,
        javafx.scene.image.WritablePixelFormat.getIntArgbInstance(), pixels, 0, w);
    return new Pixels(w, h, pixels);
  }

  private static javafx.scene.paint.Paint backdrop(javafx.scene.Node node) {
    for (javafx.scene.Node n = node; n != null; n = n.getParent()) {
      if (n instanceof javafx.scene.layout.Region r && r.getBackground() != null
          && !r.getBackground().getFills().isEmpty()) {
        javafx.scene.paint.Paint fill = r.getBackground().getFills().get(0).getFill();
        if (fill instanceof javafx.scene.paint.Color c && c.getOpacity() == 1) {
          return c;
        }
      }
    }
    return node.getScene() == null || node.getScene().getFill() == null
        ? javafx.scene.paint.Color.WHITE : node.getScene().getFill();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
