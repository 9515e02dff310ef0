package dev.sluice.agent.admin.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link RuntimeState} in a JSON file beside the config file ({@code gateway.yaml} →
 * {@code gateway.state.json}). {@link #save} is atomic: the document goes to a temp file in the same
 * directory, is fsynced, renamed over the old file, and the directory is fsynced, so a crash leaves
 * either the old or the new state, never half of one. A file that cannot be read is moved aside to
 * {@code <name>.corrupt-<timestamp>} and reported, never silently ignored or overwritten.
 */
public final class StateStore {

  private static final Logger log = LoggerFactory.getLogger(StateStore.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final Clock clock;
  private final ObjectMapper json;

  public StateStore(Path file, Clock clock) {
    this.file = file.toAbsolutePath();
    this.clock = clock;
    this.json = mapper();
  }

  /** The store for the config file at {@code configFile}: same directory, same base name. */
  public static StateStore besideConfig(Path configFile, Clock clock) {
    String name = configFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return new StateStore(configFile.toAbsolutePath().resolveSibling(base + ".state.json"), clock);
  }

  public Path file() {
    return file;
  }

  /** Reads the state file; a corrupt one is moved aside and reported in the result. */
  public synchronized StateLoad load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new StateLoad.Absent();
    }
    String problem;
    try {
      RuntimeState state = json.readValue(bytes, RuntimeState.class);
      if (state.formatVersion() == RuntimeState.FORMAT_VERSION) {
        return new StateLoad.Loaded(state);
      }
      problem = "format version " + state.formatVersion() + " is not supported (expected "
          + RuntimeState.FORMAT_VERSION + ")";
    } catch (IOException | RuntimeException e) {
      problem = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    }
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(clock.instant()));
    Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(file.getParent());
    String message = "runtime state file " + file + " is unreadable (" + problem
        + "); moved it to " + aside + " and started from the config file alone";
    log.error(message);
    return new StateLoad.SetAside(message, aside);
  }

  /** Replaces the state file atomically with {@code state}. */
  public synchronized void save(RuntimeState state) throws IOException {
    byte[] bytes = json.writeValueAsBytes(state);
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      // Owner-only: route upserts carry their filters, and a filter may hold an inline secret.
      try (FileChannel channel = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the rename has happened either way.
      log.debug("Could not fsync directory {}: {}", dir, e.getMessage());
    }
  }

  private static ObjectMapper mapper() {
    SimpleModule instants = new SimpleModule("instants");
    instants.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(value.toString());
      }
    });
    instants.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return Instant.parse(p.getValueAsString());
      }
    });
    return new ObjectMapper()
        .registerModule(instants)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }
}
