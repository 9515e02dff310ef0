package dev.sluice.export;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Saves an {@link IncidentExport} as one zip file: {@code incident.json} first, then
 * {@code images/*.png}. The file appears whole or not at all (written beside it, then renamed).
 */
public final class IncidentExportWriter {

  private IncidentExportWriter() {}

  /** Writes {@code export} to {@code file} (conventionally named {@code *.sluice-incident.zip}). */
  public static void write(IncidentExport export, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temp);
           ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
        zip.putNextEntry(new ZipEntry(IncidentExport.DOCUMENT));
        zip.write(json(export).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        for (String image : export.imageFiles()) {
          zip.putNextEntry(new ZipEntry(image));
          zip.write(export.image(image));
          zip.closeEntry();
        }
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The document as {@code incident.json} holds it: proto3 JSON, lowerCamelCase names, indented. */
  public static String json(IncidentExport export) {
    try {
      return JsonFormat.printer().print(export.document()) + "\n";
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print, and the document has none.
      throw new UncheckedIOException(e);
    }
  }
}
