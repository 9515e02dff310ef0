package dev.sluice.export;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryHistoryChunk;
import dev.sluice.export.v1.ChartImage;
import dev.sluice.export.v1.History;
import dev.sluice.export.v1.Incident;
import dev.sluice.export.v1.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One exported incident window: the {@link Incident} document (what {@code incident.json} holds)
 * and the PNG bytes of the charts it lists, by file name. Immutable; make one with {@link #builder}
 * and save it with {@link IncidentExportWriter}, or load one with {@link IncidentExportReader}.
 */
public final class IncidentExport {

  /** The layout version this code writes and the highest it reads. */
  public static final int FORMAT_VERSION = 1;
  /** The document's name inside the export. */
  public static final String DOCUMENT = "incident.json";
  /** Where chart images go inside the export. */
  public static final String IMAGE_DIRECTORY = "images/";

  private static final Pattern IMAGE_NAME = Pattern.compile("images/[A-Za-z0-9][A-Za-z0-9._-]{0,120}\\.png");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final Incident document;
  private final Map<String, byte[]> images;

  private IncidentExport(Incident document, Map<String, byte[]> images) {
    this.document = document;
    this.images = images;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The document as written to {@code incident.json}. */
  public Incident document() {
    return document;
  }

  /** The file names of the chart images, in document order. */
  public List<String> imageFiles() {
    return List.copyOf(images.keySet());
  }

  /** A copy of the PNG bytes of {@code file} (one of {@link #imageFiles()}). */
  public byte[] image(String file) {
    byte[] png = images.get(file);
    if (png == null) {
      throw new IllegalArgumentException("no image " + file + " in this export");
    }
    return png.clone();
  }

  /**
   * Checks a document and its images as the reader and the builder do: every problem, one line
   * each; empty when the export is sound.
   */
  static List<String> problems(Incident document, Map<String, byte[]> images) {
    List<String> problems = new ArrayList<>();
    if (document.getFormatVersion() < 1 || document.getFormatVersion() > FORMAT_VERSION) {
      problems.add("formatVersion " + document.getFormatVersion() + " is not one this reader knows (1 to "
          + FORMAT_VERSION + ")");
    }
    if (!document.hasWindow() || !document.getWindow().hasFrom() || !document.getWindow().hasTo()) {
      problems.add("window: needs from and to");
    } else if (seconds(document.getWindow().getTo()) < seconds(document.getWindow().getFrom())) {
      problems.add("window: to is before from");
    }
    List<String> listed = new ArrayList<>();
    for (ChartImage image : document.getImagesList()) {
      if (!IMAGE_NAME.matcher(image.getFile()).matches()) {
        problems.add("images: '" + image.getFile() + "' is not a name like images/chart-1.png");
      } else if (listed.contains(image.getFile())) {
        problems.add("images: '" + image.getFile() + "' is listed twice");
      } else if (!images.containsKey(image.getFile())) {
        problems.add("images: '" + image.getFile() + "' is listed but its file is missing");
      } else if (!isPng(images.get(image.getFile()))) {
        problems.add("images: '" + image.getFile() + "' is not a PNG file");
      }
      listed.add(image.getFile());
    }
    return problems;
  }

  private static double seconds(Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }

  static boolean isPng(byte[] bytes) {
    return bytes.length >= 24 && Arrays.equals(bytes, 0, 8, PNG_SIGNATURE, 0, 8);
  }

  static IncidentExport checked(Incident document, Map<String, byte[]> images) {
    List<String> problems = problems(document, images);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("not a valid incident export: " + String.join("; ", problems));
    }
    Map<String, byte[]> kept = new LinkedHashMap<>();
    for (ChartImage image : document.getImagesList()) {
      kept.put(image.getFile(), images.get(image.getFile()).clone());
    }
    return new IncidentExport(document, Collections.unmodifiableMap(kept));
  }

  /**
   * Assembles an export. Only the window is required; {@link #build} checks everything at once and
   * names every problem.
   */
  public static final class Builder {

    private final Incident.Builder document = Incident.newBuilder().setFormatVersion(FORMAT_VERSION);
    private final Map<String, byte[]> images = new LinkedHashMap<>();

    private Builder() {}

    /** The window [from, to) the export covers. */
    public Builder window(Instant from, Instant to) {
      document.setWindow(Window.newBuilder().setFrom(timestamp(from)).setTo(timestamp(to)));
      return this;
    }

    /** What wrote the export, e.g. "sluice-console 0.1.0". */
    public Builder generator(String generator) {
      document.setGenerator(generator);
      return this;
    }

    public Builder exportedAt(Instant at) {
      document.setExportedAt(timestamp(at));
      return this;
    }

    public Builder agent(AgentInfo agent) {
      document.setAgent(agent);
      return this;
    }

    public Builder snapshotAtStart(Snapshot snapshot) {
      document.setSnapshotAtStart(snapshot);
      return this;
    }

    public Builder snapshotAtEnd(Snapshot snapshot) {
      document.setSnapshotAtEnd(snapshot);
      return this;
    }

    /** Events of the window (the builder keeps them in sequence order). */
    public Builder addEvents(Iterable<Event> events) {
      document.addAllEvents(events);
      return this;
    }

    public Builder oldestAvailableEventSequence(long sequence) {
      document.setOldestAvailableEventSequence(sequence);
      return this;
    }

    /** Audit entries of the window (the builder keeps them oldest first). */
    public Builder addAuditEntries(Iterable<AuditEntry> entries) {
      document.addAllAuditEntries(entries);
      return this;
    }

    /** The per-route history of the window, at the agent's resolution. */
    public Builder history(Duration resolution, Iterable<Long> latencyBoundsMicros, Iterable<RouteHistory> routes) {
      document.setHistory(History.newBuilder().setResolution(resolution)
          .addAllLatencyBoundsMicros(latencyBoundsMicros).addAllRoutes(routes));
      return this;
    }

    /**
     * The per-route history as {@code GetTelemetryHistory} streams it: resolution and bucket bounds from
     * the first chunk, the routes of every chunk. Reads the stream to its end.
     */
    public Builder history(Iterator<TelemetryHistoryChunk> chunks) {
      if (chunks.hasNext()) {
        TelemetryHistoryChunk first = chunks.next();
        history(first.getResolution(), first.getLatencyBoundsMicrosList(), first.getRoutesList());
      }
      while (chunks.hasNext()) {
        document.getHistoryBuilder().addAllRoutes(chunks.next().getRoutesList());
      }
      return this;
    }

    public Builder incident(String incidentId, String title, String notes) {
      document.setIncidentId(incidentId).setTitle(title).setNotes(notes);
      return this;
    }

    /**
     * Adds a chart as a PNG. {@code name} becomes {@code images/<name>.png} (letters, digits, '.',
     * '-', '_'); width and height are read from the PNG.
     */
    public Builder addImage(String name, String title, List<String> routeIds, byte[] png) {
      String file = IMAGE_DIRECTORY + name + ".png";
      ChartImage.Builder image = ChartImage.newBuilder().setFile(file).setTitle(title).addAllRouteIds(routeIds);
      if (isPng(png)) {
        image.setWidth(bigEndianInt(png, 16)).setHeight(bigEndianInt(png, 20));
      }
      document.addImages(image);
      images.put(file, png.clone());
      return this;
    }

    /**
     * The export, with events in sequence order and audit entries oldest first.
     *
     * @throws IllegalArgumentException naming every problem (no window, a bad image name or bytes)
     */
    public IncidentExport build() {
      List<Event> events = new ArrayList<>(document.getEventsList());
      events.sort((a, b) -> Long.compare(a.getSequence(), b.getSequence()));
      List<AuditEntry> audit = new ArrayList<>(document.getAuditEntriesList());
      audit.sort((a, b) -> compare(a.getTime(), b.getTime()));
      Incident built = document.clone().clearEvents().addAllEvents(events)
          .clearAuditEntries().addAllAuditEntries(audit).build();
      return checked(built, images);
    }

    private static int compare(Timestamp a, Timestamp b) {
      int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
      return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
    }

    private static int bigEndianInt(byte[] bytes, int offset) {
      return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
          | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
