package dev.sluice.export;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sluice.export.v1.ChartImage;
import dev.sluice.export.v1.Incident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads an incident export back: the zip {@link IncidentExportWriter} writes, a directory holding
 * {@code incident.json} and {@code images/}, or a bare {@code incident.json}. Fields a newer writer
 * added are ignored; a larger {@code formatVersion} is refused.
 */
public final class IncidentExportReader {

  /** Largest image or document read from a zip: a guard against zip bombs. */
  private static final long MAX_ENTRY_BYTES = 256L * 1024 * 1024;

  private IncidentExportReader() {}

  /**
   * @throws IOException when the file cannot be read, or (with every problem named) is not a valid
   *     export
   */
  public static IncidentExport read(Path path) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    if (Files.isDirectory(path)) {
      Path document = path.resolve(IncidentExport.DOCUMENT);
      files.put(IncidentExport.DOCUMENT, Files.readAllBytes(document));
      Path images = path.resolve(IncidentExport.IMAGE_DIRECTORY);
      if (Files.isDirectory(images)) {
        try (var listing = Files.list(images)) {
          for (Path image : (Iterable<Path>) listing::iterator) {
            files.put(IncidentExport.IMAGE_DIRECTORY + image.getFileName(), Files.readAllBytes(image));
          }
        }
      }
    } else if (path.getFileName().toString().endsWith(".json")) {
      files.put(IncidentExport.DOCUMENT, Files.readAllBytes(path));
    } else {
      try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          if (!entry.isDirectory()) {
            files.put(entry.getName(), readBounded(zip, entry.getName()));
          }
        }
      }
    }
    byte[] json = files.remove(IncidentExport.DOCUMENT);
    if (json == null) {
      throw new IOException(path + " holds no " + IncidentExport.DOCUMENT + "; is it an incident export?");
    }
    Incident.Builder document = Incident.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(new String(json, StandardCharsets.UTF_8), document);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(path + ": " + IncidentExport.DOCUMENT + " is not an incident document: "
          + e.getMessage(), e);
    }
    Incident incident = document.build();
    var problems = IncidentExport.problems(incident, files);
    if (!problems.isEmpty()) {
      throw new IOException(path + " is not a valid incident export: " + String.join("; ", problems));
    }
    Map<String, byte[]> images = new HashMap<>();
    for (ChartImage image : incident.getImagesList()) {
      images.put(image.getFile(), files.get(image.getFile()));
    }
    return IncidentExport.checked(incident, images);
  }

  private static byte[] readBounded(InputStream in, String name) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_ENTRY_BYTES + 1));
    if (bytes.length > MAX_ENTRY_BYTES) {
      throw new IOException(name + " in the export is larger than " + MAX_ENTRY_BYTES + " bytes");
    }
    return bytes;
  }
}
