package dev.sluice.agent.admin.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agent.admin.auth.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit log: one JSON object per line in {@code audit.log}, rotated by size to
 * {@code audit.log.1} … {@code audit.log.N}. Ids keep increasing across restarts (the newest entry
 * on disk is read at open).
 *
 * <p>{@link #append} writes on the caller's thread and, with {@code fsync} on (the default), forces
 * the line to disk before it returns, so an acknowledged change is never missing from the log.
 * That costs one fsync (typically 1–10 ms) per mutation, which is fine because mutations are rare
 * and never run on the event loop. Reads scan the files newest first; they are for operators, not
 * for hot paths. Lines that cannot be parsed (a write torn by a crash) are skipped with a warning.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How much of the newest file is read at open to find the last id. */
  private static final int TAIL_BYTES = 64 * 1024;

  private final Path file;
  private final AuditLogOptions options;
  private final Clock clock;
  private final List<Consumer<AuditEntry>> listeners = new CopyOnWriteArrayList<>();
  private FileChannel channel;
  private long size;
  private long lastNumber;

  private AuditLog(Path file, AuditLogOptions options, Clock clock) throws IOException {
    this.file = file.toAbsolutePath();
    this.options = options;
    this.clock = clock;
    Path dir = this.file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    this.lastNumber = findLastNumber();
    this.channel = openLive();
  }

  /** Opens (or creates) the log at {@code file}, continuing the id sequence found on disk. */
  public static AuditLog open(Path file, AuditLogOptions options, Clock clock) throws IOException {
    return new AuditLog(file, options, clock);
  }

  /** Called after each append, on the appender's thread (e.g. to publish an event). */
  public void addListener(Consumer<AuditEntry> listener) {
    listeners.add(listener);
  }

  /** Gives the draft the next id and the current time, writes it, and returns the entry. */
  public AuditEntry append(AuditDraft draft) throws IOException {
    AuditEntry entry;
    synchronized (this) {
      entry = AuditEntry.of(AuditEntry.idFor(lastNumber + 1), clock.instant(), draft);
      byte[] line = (toJson(entry) + "\n").getBytes(StandardCharsets.UTF_8);
      if (size > 0 && size + line.length > options.maxFileBytes()) {
        rotate();
      }
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (options.fsync()) {
        channel.force(false);
      }
      size += line.length;
      lastNumber++;
    }
    for (Consumer<AuditEntry> listener : listeners) {
      try {
        listener.accept(entry);
      } catch (RuntimeException e) {
        // The entry is on disk; a failing listener must not make the caller think otherwise.
        log.warn("Audit listener failed for {}", entry.id(), e);
      }
    }
    return entry;
  }

  /** The id the newest entry has, or empty when the log has none. */
  public synchronized Optional<String> lastId() {
    return lastNumber == 0 ? Optional.empty() : Optional.of(AuditEntry.idFor(lastNumber));
  }

  /** One page of entries matching the query, newest first. Check the query's violations first. */
  public synchronized AuditPage list(AuditQuery query) throws IOException {
    long below = query.pageToken().isEmpty() ? Long.MAX_VALUE : AuditEntry.numberOf(query.pageToken());
    int pageSize = query.effectivePageSize();
    List<AuditEntry> page = new ArrayList<>(Math.min(pageSize, 256));
    boolean more = false;
    search:
    for (Path path : filesNewestFirst()) {
      if (firstNumber(path) >= below) {
        continue; // every entry of this file is on an earlier page
      }
      List<AuditEntry> entries = readFile(path);
      for (int i = entries.size() - 1; i >= 0; i--) {
        AuditEntry entry = entries.get(i);
        if (AuditEntry.numberOf(entry.id()) >= below || !query.matches(entry)) {
          continue;
        }
        if (page.size() == pageSize) {
          more = true;
          break search;
        }
        page.add(entry);
      }
    }
    String next = more ? page.get(page.size() - 1).id() : "";
    return new AuditPage(page, next);
  }

  /** The entry with this id, from the live file or a rotated one. */
  public synchronized Optional<AuditEntry> get(String id) throws IOException {
    long number = AuditEntry.numberOf(id);
    if (number < 1 || number > lastNumber) {
      return Optional.empty();
    }
    for (Path path : filesNewestFirst()) {
      if (firstNumber(path) > number) {
        continue; // the file starts after the entry
      }
      for (AuditEntry entry : readFile(path)) {
        if (entry.id().equals(id)) {
          return Optional.of(entry);
        }
      }
    }
    return Optional.empty();
  }

  /** The live file; rotated files sit beside it with suffixes {@code .1} to {@code .N}. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  private FileChannel openLive() throws IOException {
    FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    size = opened.size();
    if (size > 0 && !endsWithNewline(file, size)) {
      // A crash tore the last line; end it so that the next entry starts on a line of its own.
      opened.write(ByteBuffer.wrap(new byte[] {'\n'}));
      size++;
    }
    return opened;
  }

  private void rotate() throws IOException {
    channel.force(true);
    channel.close();
    try {
      Files.deleteIfExists(rotated(options.keepRotated()));
      for (int i = options.keepRotated() - 1; i >= 1; i--) {
        Path from = rotated(i);
        if (Files.exists(from)) {
          Files.move(from, rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      // Whatever the renames did, keep a live file open so that the log stays writable.
      channel = openLive();
    }
    forceDirectory(file.getParent());
  }

  private Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  private List<Path> filesNewestFirst() {
    List<Path> files = new ArrayList<>();
    files.add(file);
    for (int i = 1; i <= options.keepRotated(); i++) {
      Path path = rotated(i);
      if (Files.exists(path)) {
        files.add(path);
      }
    }
    return files;
  }

  /** The newest id on disk, read from the tail of the newest file that has an entry. */
  private long findLastNumber() throws IOException {
    for (Path path : filesNewestFirst()) {
      if (!Files.exists(path) || Files.size(path) == 0) {
        continue;
      }
      long number = lastNumberInTail(path);
      if (number < 0) {
        List<AuditEntry> entries = readFile(path); // no whole line in the tail: read it all
        number = entries.isEmpty() ? -1 : AuditEntry.numberOf(entries.get(entries.size() - 1).id());
      }
      if (number >= 0) {
        return number;
      }
    }
    return 0;
  }

  private static long lastNumberInTail(Path path) throws IOException {
    try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = read.size();
      int length = (int) Math.min(size, TAIL_BYTES);
      ByteBuffer tail = ByteBuffer.allocate(length);
      int n = 0;
      while (tail.hasRemaining() && n >= 0) {
        n = read.read(tail, size - length + tail.position());
      }
      String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
      String[] lines = text.split("\n");
      // The first line of a partial tail may be cut; it is only trusted when the tail is the file.
      int first = length < size ? 1 : 0;
      for (int i = lines.length - 1; i >= first; i--) {
        if (lines[i].isBlank()) {
          continue;
        }
        try {
          return AuditEntry.numberOf(fromJson(JSON.readTree(lines[i])).id());
        } catch (IOException | RuntimeException e) {
          log.warn("Skipping unreadable audit line at the end of {}: {}", path, e.getMessage());
        }
      }
      return -1;
    }
  }

  /** The id number of the file's first readable entry, or Long.MAX_VALUE when it has none. */
  private static long firstNumber(Path path) throws IOException {
    if (!Files.exists(path)) {
      return Long.MAX_VALUE;
    }
    try (java.io.BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          return AuditEntry.numberOf(fromJson(JSON.readTree(line)).id());
        } catch (IOException | RuntimeException e) {
          // unreadable first line: try the next one
        }
      }
    }
    return Long.MAX_VALUE;
  }

  private static List<AuditEntry> readFile(Path path) throws IOException {
    if (!Files.exists(path)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    List<AuditEntry> entries = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(fromJson(JSON.readTree(line)));
      } catch (IOException | RuntimeException e) {
        log.warn("Skipping unreadable audit line {} of {}: {}", i + 1, path, e.getMessage());
      }
    }
    return entries;
  }

  private static boolean endsWithNewline(Path path, long size) throws IOException {
    try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      read.read(last, size - 1);
      return last.get(0) == '\n';
    }
  }

  static void forceDirectory(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for sync; the rename itself already happened.
      log.debug("Could not fsync directory {}: {}", dir, e.getMessage());
    }
  }

  private static String toJson(AuditEntry e) throws JsonProcessingException {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", e.id());
    node.put("time", e.time().toString());
    node.put("principal", e.principal());
    node.put("role", e.role() == null ? null : e.role().label());
    node.put("rpc", e.rpc());
    node.put("target", e.target());
    node.put("reason", e.reason());
    node.put("incidentId", e.incidentId());
    node.set("before", jsonOrText(e.beforeJson()));
    node.set("after", jsonOrText(e.afterJson()));
    node.put("expectedVersion", e.expectedVersion());
    node.put("resultingVersion", e.resultingVersion());
    node.put("outcome", e.outcome().name());
    node.put("message", e.message());
    node.put("revertsEntryId", e.revertsEntryId());
    node.put("belowFloor", e.belowFloor());
    return JSON.writeValueAsString(node);
  }

  private static JsonNode jsonOrText(@Nullable String json) {
    if (json == null) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // Kept as a string so that nothing the caller gave is lost.
      return JSON.getNodeFactory().textNode(json);
    }
  }

  private static AuditEntry fromJson(JsonNode n) throws JsonProcessingException {
    String role = text(n, "role");
    return new AuditEntry(
        required(n, "id"),
        Instant.parse(required(n, "time")),
        required(n, "principal"),
        role == null ? null : Role.valueOf(role.toUpperCase(Locale.ROOT)),
        required(n, "rpc"),
        required(n, "target"),
        required(n, "reason"),
        text(n, "incidentId"),
        jsonText(n.get("before")),
        jsonText(n.get("after")),
        n.path("expectedVersion").asLong(),
        n.path("resultingVersion").asLong(),
        AuditOutcome.valueOf(required(n, "outcome")),
        required(n, "message"),
        text(n, "revertsEntryId"),
        n.path("belowFloor").asBoolean());
  }

  private static @Nullable String jsonText(@Nullable JsonNode node) throws JsonProcessingException {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? node.textValue() : JSON.writeValueAsString(node);
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode value = n.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String required(JsonNode n, String field) {
    String value = text(n, field);
    if (value == null) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return value;
  }
}
