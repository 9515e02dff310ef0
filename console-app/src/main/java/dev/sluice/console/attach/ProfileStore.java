package dev.sluice.console.attach;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connection profiles in {@code connections.json} in the console's config directory. An unreadable
 * file loads as no profiles plus a problem to show, and is only replaced by the next save. Writes go
 * through a temporary file and a rename, so a crash never leaves half a file.
 */
public final class ProfileStore {
  static final String FILE_NAME = "connections.json";

  private final Path file;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ProfileStore(Path configDir) {
    this.file = configDir.resolve(FILE_NAME);
  }

  /** The saved profiles, and why they could not be read if so. */
  public record Loaded(List<ConnectionProfile> profiles, Optional<String> problem) {}

  private record FileContent(List<ConnectionProfile> profiles) {}

  public Loaded load() {
    try {
      FileContent content = json.readValue(Files.readString(file), FileContent.class);
      return new Loaded(content.profiles() == null ? List.of() : List.copyOf(content.profiles()),
          Optional.empty());
    } catch (NoSuchFileException e) {
      return new Loaded(List.of(), Optional.empty());
    } catch (JacksonException e) {
      return new Loaded(List.of(), Optional.of(file + " is not a profile list ("
          + e.getOriginalMessage() + "); it will be replaced when a profile is saved"));
    } catch (IOException e) {
      return new Loaded(List.of(), Optional.of("cannot read " + file + ": " + e.getMessage()));
    }
  }

  /** Adds {@code profile}, replacing a saved one of the same name. */
  public void save(ConnectionProfile profile) {
    List<ConnectionProfile> profiles = new ArrayList<>(load().profiles());
    profiles.removeIf(p -> p.name().equals(profile.name()));
    profiles.add(profile);
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
      json.writeValue(temp.toFile(), new FileContent(profiles));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save connection profiles to " + file, e);
    }
  }
}
